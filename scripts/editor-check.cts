// node --require tsx/cjs scripts/editor-check.cts [--out DIR] [--version X.Y.Z] [--extensions DIR]: screenshots of the
// node's panels and credential dialog in a real n8n, in headless Chromium (npm run build first).
import { cli } from '../test/support/browser/editor-check.cjs';

cli();
