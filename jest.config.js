const transform = {
	// Transpile only: the type checks are `npm run lint` (tsc for the node, the tests and the tooling).
	'^.+\\.c?ts$': ['ts-jest', { tsconfig: { isolatedModules: true, esModuleInterop: true } }],
};
const common = {
	testEnvironment: 'node',
	transform,
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	resolver: '<rootDir>/jest.resolver.js',
};

module.exports = {
	projects: [
		{
			// Pure functions, the simulator, the harness, and the node run through n8n-core's real
			// execution code: `npm run test:unit` (no real n8n, no browser, no services).
			...common,
			displayName: 'unit',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/test/e2e/'],
		},
		{
			// The built package inside a real n8n (installed once into a cache outside the repo).
			...common,
			displayName: 'e2e',
			roots: ['<rootDir>/test/e2e'],
			testMatch: ['**/*.test.ts'],
			globalSetup: '<rootDir>/test/e2e/global-setup.cts',
		},
	],
	testTimeout: 120000,
	// n8n processes are heavy on a 2-core machine.
	maxWorkers: 2,
};
