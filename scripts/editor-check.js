#!/usr/bin/env node
'use strict';
// The editor check: screenshots of the node's panels and credential dialog in a real n8n, driven by
// headless Chromium (test/support/browser). Options: --out DIR, --version X.Y.Z, --extensions DIR.
require('../test/support/browser/editor-check').cli();
