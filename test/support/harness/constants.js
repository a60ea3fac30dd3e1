// @ts-check
'use strict';
/** Names the harness gives the workflow it builds around the node under test. */

const INPUT_NODE_NAME = 'Harness Input';
const INPUT_NODE_TYPE = 'n8n-nodes-harness.input';
const DEFAULT_NODE_NAME = 'Node Under Test';

module.exports = { INPUT_NODE_NAME, INPUT_NODE_TYPE, DEFAULT_NODE_NAME };
