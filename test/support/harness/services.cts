// n8n-core's services as a harness run uses them: its DI container with a silent logger and an error
// reporter that records, its real InstanceSettings on a temp user folder, and its real BinaryDataService
// in each binary data mode (made the one n8n-core's helpers get from the container).
import { createRequire } from 'node:module';
import path from 'node:path';

import { BinaryDataService, ErrorReporter, InstanceSettings } from 'n8n-core';
import type { BinaryDataConfig } from 'n8n-core';
import { LoggerProxy, UnexpectedError } from 'n8n-workflow';

import { createDatabaseManager } from '../n8n-mirror/database-manager.cjs';
import { removeDir, tempDir } from '../system.cjs';

type Constructor<T> = abstract new (...args: never[]) => T;
// n8n-core ships its own copies of @n8n/di, @n8n/config and @n8n/backend-common: the singletons it
// reads must come from those copies.
const coreRequire = createRequire(require.resolve('n8n-core'));
type Get = <T>(type: Constructor<T>) => T;
type Set = <T>(type: Constructor<T>, instance: T) => void;
export const Container = coreRequire('@n8n/di').Container as { get: Get; set: Set };
export const coreConfig = coreRequire('@n8n/config') as Record<string, Constructor<any>>;
const Logger = coreRequire('@n8n/backend-common').Logger as Constructor<unknown>;

const quiet = () => {};
const levels = { error: quiet, warn: quiet, info: quiet, debug: quiet };
const silentLogger = { ...levels, scoped: (): unknown => silentLogger };

/** Errors n8n-core hands to its ErrorReporter (it reports unexpected node errors there). */
export const reportedErrors: Array<{ error: unknown; options: unknown }> = [];
const errorReporter = {
	error: (error: unknown, options?: unknown) => void reportedErrors.push({ error, options }),
	...{ warn: quiet, info: quiet, init: async () => {}, shutdown: async () => {} },
} as unknown as ErrorReporter;
const coreLogger = silentLogger as unknown as ConstructorParameters<typeof BinaryDataService>[2];

let bootstrapped = false;
let userFolder: string | undefined;
export function bootstrap(): void {
	if (bootstrapped) return;
	bootstrapped = true;
	Container.set(Logger, silentLogger);
	Container.set(ErrorReporter, errorReporter);
	LoggerProxy.init(silentLogger);
	// InstanceSettings reads these once, when made: a temp user folder instead of ~/.n8n.
	const { N8N_USER_FOLDER, N8N_ENCRYPTION_KEY } = process.env;
	const saved = { N8N_USER_FOLDER, N8N_ENCRYPTION_KEY };
	userFolder = tempDir('n8n-harness-user-');
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_ENCRYPTION_KEY = 'n8n-harness-encryption-key';
	try {
		Container.get(InstanceSettings);
	} finally {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	}
}

/**
 * The binary data modes: inline base64 (n8n's "default"), files under a temp folder ("filesystem"), and
 * rows of a `binary_data` table ("database", n8n's default in queue mode, whose manager n8n's CLI
 * provides: ../n8n-mirror/database-manager.cts).
 */
const MODES = {
	default: { available: ['filesystem'], owns: () => false },
	filesystem: { available: ['filesystem'], owns: (id: string) => id.startsWith('filesystem') },
	// prettier-ignore
	database: { available: ['filesystem', 'database'], owns: (id: string) => id.startsWith('database:') },
} as const;
export type BinaryMode = keyof typeof MODES;

type Store = { service: BinaryDataService; config: BinaryDataConfig; rowsPath?: RowsPath };
type RowsPath = (id: string) => string;
const stores: Partial<Record<BinaryMode, Store>> = {};
let storageRoot: string | undefined;

/** n8n-core's real BinaryDataService for the mode, made the one its helpers use. Runs must not overlap
 * with different modes. */
export async function useBinaryDataMode(mode: BinaryMode): Promise<BinaryDataService> {
	bootstrap();
	const modes = Object.keys(MODES).join(', ');
	const why = `Unsupported binary mode "${mode}" (use ${modes})`;
	if (!Object.hasOwn(MODES, mode)) throw new UnexpectedError(why);
	let store = stores[mode];
	if (!store) {
		storageRoot ??= tempDir('n8n-harness-binary-');
		// BinaryDataService reads only these fields of its config.
		const localStoragePath = path.join(storageRoot, mode);
		const fields = { mode, availableModes: MODES[mode].available, localStoragePath };
		const secrets = { signingSecret: 'n8n-harness-signing-secret', dbMaxFileSize: 512 };
		const config = { ...fields, ...secrets } as unknown as BinaryDataConfig;
		const service = new BinaryDataService(config, errorReporter, coreLogger);
		await service.init();
		store = { service, config };
		if (mode === 'database') {
			const manager = createDatabaseManager(config);
			service.setManager('database', manager);
			store.rowsPath = (fileId) => manager.rows.dataPath(fileId);
		}
		stores[mode] = store;
	}
	Container.set(BinaryDataService, store.service);
	return store.service;
}

/** Where a stored binary's bytes are on disk (database mode: the file holding the row's data). */
export function getBinaryFilePath(binaryDataId: string): string {
	const modes = Object.keys(MODES) as BinaryMode[];
	const store = stores[modes.find((m) => MODES[m].owns(binaryDataId)) ?? 'default'];
	const fileId = binaryDataId.slice(binaryDataId.indexOf(':') + 1);
	if (store?.rowsPath) return store.rowsPath(fileId);
	return (store?.service ?? Container.get(BinaryDataService)).getPath(binaryDataId);
}

/** Removes the user folder and the binary stores (jest runs it after each test file). */
export function cleanup(): void {
	for (const dir of [storageRoot, userFolder]) if (dir) removeDir(dir);
	for (const mode of Object.keys(stores) as BinaryMode[]) delete stores[mode];
	storageRoot = undefined;
}
