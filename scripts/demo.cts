// npm run demo: the example workflows in a real n8n on the StepFun simulator, or the real API with
// STEPFUN_API_KEY (`-- --help` lists the options).
import { cli } from '../test/support/demo/index.cjs';

cli();
