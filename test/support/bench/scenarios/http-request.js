// @ts-check
'use strict';
/**
 * What a user would build without the node: n8n's HTTP Request node posting the same edit to the API,
 * with its defaults (every item at once), and under the rate limit also hand-tuned with batching.
 */
const { API_KEY, TARGET } = require('../constants');

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('./index').TargetContext} TargetContext */
/** @typedef {import('../args').BenchOptions} BenchOptions */
/** @typedef {import('../../n8n').N8nItem} N8nItem */

const kind = 'http';

/**
 * @param {BenchOptions} opts
 * @returns {Scenario[]}
 */
function rows(opts) {
	const N = opts.items;
	const M = opts.limitedItems;
	const label = 'HTTP Request node, Edit (defaults)';
	/** @type {Scenario[]} */
	const list = [
		{ name: 'http-edit', group: 'unlimited', label, kind, op: 'edit', n: N, conc: N },
		{
			name: 'lim-http-edit',
			group: 'limited',
			label,
			kind,
			op: 'edit',
			n: M,
			conc: M,
			limited: true,
		},
		{
			name: 'lim-http-batched',
			group: 'limited',
			label: 'HTTP Request, batching 5 per 30 s (hand-tuned)',
			kind,
			op: 'edit',
			n: M,
			conc: 5,
			limited: true,
			batching: { batchSize: 5, batchInterval: 30000 },
		},
	];
	return list;
}

/**
 * A multipart POST to /images/edits with the item's binary and prompt; failed items go on.
 * @param {Scenario} sc
 * @param {TargetContext} ctx
 */
function target(sc, ctx) {
	return {
		name: TARGET,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [400, 0],
		onError: 'continueRegularOutput',
		parameters: {
			method: 'POST',
			url: `${ctx.simBaseUrl}/images/edits`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${API_KEY}` }] },
			sendBody: true,
			contentType: 'multipart-form-data',
			bodyParameters: {
				parameters: [
					{ name: 'model', value: 'step-image-edit-2' },
					{ parameterType: 'formBinaryData', name: 'image', inputDataFieldName: 'data' },
					{ name: 'prompt', value: '={{ $json.prompt }}' },
					{ name: 'response_format', value: 'b64_json' },
				],
			},
			options: sc.batching ? { batching: { batch: sc.batching } } : {},
		},
	};
}

/**
 * Items whose JSON answer carries an image.
 * @param {N8nItem[]} items
 */
function delivered(items) {
	return items.filter((it) => {
		const d = it.json && it.json.data;
		return (
			Array.isArray(d) && d[0] && typeof d[0].b64_json === 'string' && d[0].b64_json.length > 0
		);
	}).length;
}

module.exports = { kind, rows, target, delivered };
