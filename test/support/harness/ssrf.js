// @ts-check
'use strict';
/**
 * n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED) inside the harness: n8n-core's HTTP helpers read
 * it from its own config at each request. n8n-core carries its own copies of @n8n/di and @n8n/config,
 * so they are loaded from beside it.
 */
const { createRequire } = require('node:module');

const coreRequire = createRequire(require.resolve('n8n-core'));

/**
 * Turns the protection on (its default blocked ranges include 127.0.0.0/8) with `allowedHostnames`
 * let through by name, until the returned function turns it off again.
 * @param {{ allowedHostnames?: string[] }} [options]
 * @returns {() => void}
 */
function enableSsrfProtection(options = {}) {
	const { Container } = coreRequire('@n8n/di');
	const { SsrfProtectionConfig } = coreRequire('@n8n/config');
	const config = Container.get(SsrfProtectionConfig);
	const before = { enabled: config.enabled, allowedHostnames: config.allowedHostnames };
	config.enabled = true;
	config.allowedHostnames = options.allowedHostnames ?? [];
	return () => Object.assign(config, before);
}

module.exports = { enableSsrfProtection };
