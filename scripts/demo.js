#!/usr/bin/env node
// @ts-check
'use strict';
// npm run demo: the example workflows in a real n8n on the StepFun simulator (or the real API with
// STEPFUN_API_KEY). The work is done by test/support/demo; `-- --help` lists the options.
require('../test/support/demo').cli();
