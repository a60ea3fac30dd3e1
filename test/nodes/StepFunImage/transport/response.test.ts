import { BufferSink } from '../../../../nodes/StepFunImage/image/sinks';
import { readInto, readText } from '../../../../nodes/StepFunImage/transport/response';
import { makePng } from '../../../support/simulator/png.cjs';

const buffers = (_index: number, sizeHint: number) => new BufferSink(sizeHint);

describe('bounded body readers', () => {
	async function* chunks(...parts: Array<string | Buffer>) {
		for (const part of parts) yield Buffer.from(part);
	}
	const image = makePng(20, 10, 'download');
	const halves = [image.subarray(0, 100), image.subarray(100)];

	it('reads a download into its sink whatever Content-Length says, up to the cap', async () => {
		for (const sizeHint of [image.length, 50, image.length * 2, undefined]) {
			const kept = await readInto(chunks(...halves), { maxBytes: 1e4, sizeHint }, buffers);
			expect(kept.bytes!.equals(image)).toBe(true);
			expect(kept).toMatchObject({ size: image.length, info: { width: 20, height: 10 } });
		}
		await expect(readInto(chunks(...halves), { maxBytes: 100 }, buffers)).rejects.toThrow(
			/larger than 100 bytes/,
		);
	});

	it('refuses an announced size past the cap before allocating anything', async () => {
		await expect(
			readInto(chunks('tiny'), { maxBytes: 1024, sizeHint: 4 * 1024 ** 3 }, buffers),
		).rejects.toThrow(/announces 4096 MiB \(Content-Length\), more than the 1 KiB/);
	});

	it('reads only the first bytes of an error body', async () => {
		expect(await readText(chunks('héllo', ' world'), 4)).toBe('hél');
		expect(await readText(chunks('ab', 'cdef', 'gh'), 5)).toBe('abcde');
	});
});
