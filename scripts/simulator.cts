// npm run simulator: the StepFun simulator on 127.0.0.1:8787 (`-- --help` lists its fault knobs).
import { cli } from '../test/support/simulator/cli.cjs';

cli();
