// The helpers the end-to-end suites share (they drive a real n8n through test/support/n8n; the .ts suites
// may not use Node built-ins themselves).
import { E2E_VERSIONS } from '../support/n8n/index.cjs';

export * from './helpers/agent.cjs';
export * from './helpers/files.cjs';
export * from './helpers/runs.cjs';
export * from './helpers/web.cjs';
export {
	CUSTOM_NODE_TYPE,
	EXAMPLE_CREDENTIAL,
	formTwinWorkflow,
	loadExample,
	marketingWorkflow,
	PACKAGE_NODE_TYPE,
} from '../support/demo/examples.cjs';
export type { Workflow, WorkflowNode } from '../support/demo/examples.cjs';
export { randomId } from '../support/n8n/index.cjs';
export { installPackageFromTarball, type InstalledPackage } from './helpers/packages.cjs';
/** The n8n versions the suites run in (E2E_N8N_VERSIONS overrides them). */
export const versions = () => E2E_VERSIONS;
export type {
	CredentialTestResult,
	N8nInstance as E2eInstance,
	N8nItem,
	N8nServer,
} from '../support/n8n/index.cjs';
