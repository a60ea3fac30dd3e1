// POST /images/generations: validation of every parameter, and the seeds.
import { startSimulator, type Simulator } from './index.cjs';
import {
	useSimulator,
	JSON_HEADERS,
	generate,
	expectInvalid,
	invalidSummary,
	type Json,
} from './sim-test-helpers';

useSimulator();

describe('POST /images/generations', () => {
	test('prompt: Chinese accepted, counted in code points (512 astral ok, 513 rejected), required, non-empty', async () => {
		expect(
			(await generate({ model: 'step-image-edit-2', prompt: '采菊东篱下，悠然见南山' })).status,
		).toBe(200);
		const astral = '😀'.repeat(512);
		expect(astral.length).toBe(1024);
		expect((await generate({ model: 'step-image-edit-2', prompt: astral })).status).toBe(200);
		expect((await generate({ model: 'step-image-edit-2', prompt: 'a'.repeat(512) })).status).toBe(
			200,
		);
		expect((await generate({ model: 'step-image-edit-2', prompt: '山'.repeat(512) })).status).toBe(
			200,
		);
		expectInvalid(
			await generate({ model: 'step-image-edit-2', prompt: 'a'.repeat(513) }),
			'prompt',
		);
		expectInvalid(
			await generate({ model: 'step-image-edit-2', prompt: '😀'.repeat(513) }),
			'prompt',
		);
		expectInvalid(await generate({ model: 'step-image-edit-2' }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: '' }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: '   ' }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: 5 }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: ['a'] }), 'prompt');
	});

	test('model: required, string, supported', async () => {
		expectInvalid(await generate({ prompt: 'x' }), 'model');
		expectInvalid(await generate({ model: 7, prompt: 'x' }), 'model');
		const r = await generate({ model: 'step-1x-medium', prompt: 'x' });
		expect(r.status).toBe(400);
		expect(r.json).toEqual({
			error: { message: 'model step-1x-medium not supported', type: 'request_params_invalid' },
		});
	});

	test('range and type checks', async () => {
		const ok = { model: 'step-image-edit-2', prompt: 'x' };
		const bad: Array<[Json, string]> = [
			[{ seed: -1 }, 'seed'],
			[{ seed: 2147483648 }, 'seed'],
			[{ seed: 1.5 }, 'seed'],
			[{ seed: '1' }, 'seed'],
			[{ seed: null }, 'seed'],
			[{ steps: 0 }, 'steps'],
			[{ steps: 51 }, 'steps'],
			[{ steps: 2.5 }, 'steps'],
			[{ steps: '8' }, 'steps'],
			[{ cfg_scale: 0.99 }, 'cfg_scale'],
			[{ cfg_scale: 10.01 }, 'cfg_scale'],
			[{ cfg_scale: '1.0' }, 'cfg_scale'],
			[{ n: 2 }, 'n'],
			[{ n: 0 }, 'n'],
			[{ n: '1' }, 'n'],
			[{ response_format: 'png' }, 'response_format'],
			[{ response_format: 'b64' }, 'response_format'],
			[{ text_mode: 'true' }, 'text_mode'],
			[{ text_mode: 1 }, 'text_mode'],
			[{ negative_prompt: 'n'.repeat(513) }, 'negative_prompt'],
			[{ negative_prompt: 3 }, 'negative_prompt'],
			[{ size: null }, 'size'],
		];
		for (const [patch, field] of bad) {
			const r = await generate({ ...ok, ...patch });
			expect(invalidSummary(patch, r, field)).toEqual({
				patch,
				status: 400,
				type: 'request_params_invalid',
				namesField: true,
			});
		}
		const good: Json[] = [
			{ seed: 0 },
			{ seed: 2147483647 },
			{ steps: 1 },
			{ steps: 50 },
			{ cfg_scale: 1 },
			{ cfg_scale: 10.0 },
			{ cfg_scale: 7.5 },
			{ n: 1 },
			{ text_mode: false },
			{ negative_prompt: 'n'.repeat(512) },
			{ response_format: 'url' },
			{ unknown_extra_field: 'ignored' },
		];
		for (const patch of good) {
			const r = await generate({ ...ok, ...patch });
			expect({ patch, status: r.status, body: r.status === 200 ? '' : r.text }).toEqual({
				patch,
				status: 200,
				body: '',
			});
		}
		const zero = await generate({ ...ok, seed: 0, response_format: 'b64_json' });
		expect(zero.json.data[0].seed).toBe(0);
	});

	test('step-2x-large rejects text_mode and negative_prompt; seed 0 means random', async () => {
		const base = { model: 'step-2x-large', prompt: 'x', size: '256x256' };
		expectInvalid(await generate({ ...base, text_mode: false }), 'text_mode');
		expectInvalid(await generate({ ...base, negative_prompt: 'blur' }), 'negative_prompt');
		const r = await generate({ ...base, seed: 0, steps: 50, cfg_scale: 6 });
		expect(r.status).toBe(200);
		expect(r.json.data[0].seed).toBeGreaterThan(0);
		const r2 = await generate({ ...base, seed: 12 });
		expect(r2.json.data[0].seed).toBe(12);
	});

	test('omitted seed → random seed from the seeded PRNG, reported, reproducible across simulators', async () => {
		const seeds = async (s: Simulator) => {
			const out: number[] = [];
			for (let i = 0; i < 3; i++) {
				const res = await fetch(`${s.stepPlanBaseUrl}/images/generations`, {
					method: 'POST',
					headers: JSON_HEADERS,
					body: JSON.stringify({ model: 'step-2x-large', prompt: 'x', size: '256x256' }),
				});
				out.push((await res.json()).data[0].seed);
			}
			return out;
		};
		const s1 = await startSimulator({ randomSeed: 5 });
		const s2 = await startSimulator({ randomSeed: 5 });
		try {
			const a = await seeds(s1);
			const b = await seeds(s2);
			expect(a).toEqual(b);
			expect(new Set(a).size).toBe(3);
			for (const x of a) expect(Number.isInteger(x) && x >= 1 && x <= 2147483647).toBe(true);
		} finally {
			await s1.close();
			await s2.close();
		}
	});
});
