// Generate's and Edit's happy paths as data (generate.cases.ts, edit.cases.ts), each run through
// n8n-core's real execution code against the simulator: the requests it received and the output items.
import { runCase } from '../../../../support/cases.cjs';
import { useSimulator } from '../../../../support/stepfun.cjs';
import { EDIT_CASES } from './edit.cases';
import { GENERATE_CASES } from './generate.cases';

describe.each([
	['Generate', GENERATE_CASES],
	['Edit', EDIT_CASES],
])('%s', (_operation, cases) => {
	const sim = useSimulator({ apiKey: 'sk-cases' });

	it.each(cases)('$name', async (c) => {
		const { requests, output, maxInFlight } = c;
		const expected = {
			error: undefined,
			requests,
			output,
			...(maxInFlight === undefined ? {} : { maxInFlight }),
		};
		expect(await runCase(sim(), c)).toEqual(expected);
	});
});
