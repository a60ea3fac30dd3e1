// @ts-check
'use strict';
// StepFun's error bodies: {error: {message, type}}, with a default message and type per status.

/** @type {Record<number, [string, string]>} */
const ERROR_BY_STATUS = {
	400: ['Bad request', 'request_params_invalid'],
	401: ['Incorrect API key provided', 'invalid_api_key'],
	402: ['Insufficient account balance', 'insufficient_balance'],
	403: ['Forbidden', 'permission_denied'],
	404: ['Not found', 'not_found'],
	408: ['Request timeout', 'timeout'],
	429: ['Too many requests', 'rate_limit_exceeded'],
	451: ['The request was rejected by content moderation', 'censorship_blocked'],
	500: ['Internal server error', 'server_error'],
	502: ['Bad gateway', 'bad_gateway'],
	503: ['Service unavailable', 'service_unavailable'],
	504: ['Gateway timeout', 'gateway_timeout'],
};

/** @typedef {{ error: { message: string; type: string } }} ErrorBody */

/**
 * The error body for `status`; `message` and `type` default to the status's usual ones.
 * @param {number} status
 * @param {string} [message]
 * @param {string} [type]
 * @returns {ErrorBody}
 */
function errorBody(status, message, type) {
	const d = ERROR_BY_STATUS[status] || ['Error', 'server_error'];
	return { error: { message: message || d[0], type: type || d[1] } };
}

/** An API error answer, thrown by the request processing and turned into an error body. */
class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} message
	 * @param {string} type
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, message, type, headers) {
		super(message);
		this.status = status;
		this.type = type;
		this.headers = headers;
	}
}

/**
 * 400 request_params_invalid.
 * @param {string} message
 */
const invalid = (message) => new ApiError(400, message, 'request_params_invalid');

module.exports = { ERROR_BY_STATUS, errorBody, ApiError, invalid };
