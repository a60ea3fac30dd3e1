/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// isolatedModules: transpile only; `tsc` (npm run build) is the type check.
		'^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, allowJs: true, esModuleInterop: true } }],
	},
	testTimeout: 60000,
	// The real-n8n suites start n8n processes; keep them from fighting over 2 cores.
	maxWorkers: 2,
};
