// @ts-check
/** @type {import('jest').Config['transform']} */
const transform = {
	// Transpile only: the type checks are `npm run lint` (tsc for the node, and for tests and tooling).
	'^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, allowJs: true, esModuleInterop: true } }],
};

module.exports = {
	projects: [
		{
			// Pure helpers, the simulator, and the node run through n8n-core's real execution code.
			displayName: 'unit',
			testEnvironment: 'node',
			transform,
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/test/e2e/'],
		},
		{
			// The built package inside a real n8n (installed once into a cache outside the repo).
			displayName: 'e2e',
			testEnvironment: 'node',
			transform,
			roots: ['<rootDir>/test/e2e'],
			testMatch: ['**/*.test.ts'],
			globalSetup: '<rootDir>/test/e2e/global-setup.js',
		},
	],
	testTimeout: 120000,
	// n8n processes are heavy on a 2-core machine.
	maxWorkers: 2,
};
