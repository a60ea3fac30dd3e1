// npm run bench: speed and memory side by side, recorded in BENCHMARKS.md (`-- --help` lists the options).
import { cli } from '../test/support/bench/index.cjs';

cli();
