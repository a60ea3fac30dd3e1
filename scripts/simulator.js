#!/usr/bin/env node
// @ts-check
'use strict';
// npm run simulator: the StepFun simulator on 127.0.0.1:8787 (test/support/simulator); `-- --help`
// lists its fault knobs.
require('../test/support/simulator/cli').cli();
