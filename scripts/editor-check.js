#!/usr/bin/env node
// @ts-check
'use strict';
// The editor check: screenshots of the node's panels and credential dialog in a real n8n, driven by
// headless Chromium from the npm package @sparticuz/chromium (test/support/browser). Options: --out DIR,
// --version X.Y.Z, --extensions DIR; CHROMIUM_PATH=<binary> uses another Chromium.
require('../test/support/browser/editor-check').cli();
