#!/usr/bin/env node
// @ts-check
'use strict';
// npm run bench: speed and memory side by side, recorded in BENCHMARKS.md. The work is done by
// test/support/bench; `-- --help` lists the options.
require('../test/support/bench').cli();
