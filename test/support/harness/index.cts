// The n8n-core harness: a node run through n8n's real execution code (run-node.cts), its credential's
// test as n8n runs it (../n8n-mirror/credentials-tester.cts), n8n-core's real binary data in each mode
// (services.cts), SSRF protection, and a recording test server. Temp folders go after each test file.
import fs from 'node:fs';

import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

import { testCredential as runCredentialTest } from '../n8n-mirror/credentials-tester.cjs';
import { bootstrap, cleanup, Container, coreConfig } from './services.cjs';

export { delay } from '../system.cjs';
export type { CredentialTestResult } from '../n8n-mirror/credentials-tester.cjs';
export * from './run-node.cjs';
export { cleanup, getBinaryFilePath, reportedErrors, useBinaryDataMode } from './services.cjs';
export type { BinaryMode } from './services.cjs';
export * from '../test-server.cjs';

type CredentialTest = { credentialType: ICredentialType; data: ICredentialDataDecryptedObject };
export async function testCredential({ credentialType, data }: CredentialTest) {
	bootstrap();
	return await runCredentialTest(credentialType, data);
}

/**
 * n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED), which n8n-core's HTTP helpers read from its own
 * config at each request: on (its default blocked ranges include 127.0.0.0/8) with `allowedHostnames`
 * let through by name, until the returned function turns it off again.
 */
export function enableSsrfProtection(options: { allowedHostnames?: string[] } = {}): () => void {
	const config = Container.get(coreConfig.SsrfProtectionConfig);
	const before = { enabled: config.enabled, allowedHostnames: config.allowedHostnames };
	Object.assign(config, { enabled: true, allowedHostnames: options.allowedHostnames ?? [] });
	return () => Object.assign(config, before);
}

/** Whether a path exists (filesystem-mode assertions from .ts tests, which may not use fs). */
export const fileExists = (file: string) => fs.existsSync(file);

if (typeof afterAll === 'function') afterAll(() => cleanup());
