// Every row of the parameter table, walked through what it drives: the node's checks, the JSON body,
// the multipart fields, the editor's Image Settings, and the simulator's contract (which reads the
// same table), each with a value the row allows and one it refuses.
import type { INodeProperties } from 'n8n-workflow';

import { StepFunImage } from '../../../../nodes/StepFunImage/StepFunImage.node';
import {
	API_FIELD_LIST,
	modelTakes,
	type ApiField,
	type WireFields,
} from '../../../../nodes/StepFunImage/domain/apiFields';
import { ParameterError } from '../../../../nodes/StepFunImage/domain/failures';
import {
	MODELS,
	type KnownModel,
	type Operation,
} from '../../../../nodes/StepFunImage/domain/models';
import { formFields, imageRequest, jsonBody } from '../../../../nodes/StepFunImage/domain/request';
import {
	readSettings,
	validatePrompt,
	validateSize,
} from '../../../../nodes/StepFunImage/domain/validate';
import { multipartFrame } from '../../../../nodes/StepFunImage/transport/upload';
import { readFixture } from '../../../support/fixtures.cjs';
import { useSimulator } from '../../../support/stepfun.cjs';

const KNOWN = Object.keys(MODELS) as KnownModel[];
const BASE = { model: 'step-image-edit-2', prompt: 'a red bicycle' };

/** A value the row allows, and one it refuses (none for the fields every request needs). */
function samples(field: ApiField): { good: string | number | boolean; bad?: unknown } {
	const { check } = field;
	switch (check.kind) {
		case 'integer':
			return { good: check.max, bad: check.max + 1 };
		case 'number':
			return { good: (check.min + check.max) / 2, bad: check.max + 0.5 };
		case 'boolean':
			return { good: true, bad: 'yes' };
		case 'text':
			return { good: '采菊东篱下', bad: 'x'.repeat(check.maxCodePoints + 1) };
		case 'choice':
			return { good: check.values[0], bad: 'png' };
		case 'size':
			return { good: MODELS['step-image-edit-2'].sizes[1], bad: '13x13' };
		default:
			return { good: 'step-image-edit-2' };
	}
}

function request(operation: Operation, fields: WireFields) {
	const ask = {
		operation,
		itemIndex: 0,
		fields,
		resultFormat: 'binary' as const,
		images: 1,
		fileName: '',
		baseName: 'x',
	};
	return imageRequest(ask, 0);
}

describe('the parameter table, row by row', () => {
	const sim = useSimulator({ apiKey: 'sk-table' });
	const image = readFixture('input-64x48.png');

	const headers = { authorization: 'Bearer sk-table' };

	async function generate(body: unknown) {
		const res = await fetch(`${sim().stepPlanBaseUrl}/images/generations`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, json: await res.json() };
	}

	async function send(operation: Operation, fields: WireFields) {
		const req = request(operation, fields);
		if (operation === 'generate') return await generate(jsonBody(req));
		// The node's own multipart framing: the fields around the image, right after `model`.
		const file = {
			field: 'image',
			fileName: 'in.png',
			contentType: 'image/png',
			size: image.length,
		};
		const frame = multipartFrame(formFields(req), file, 'model', 'tableBoundary');
		const res = await fetch(`${sim().stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: { ...headers, 'content-type': frame.contentType },
			body: new Uint8Array(Buffer.concat([frame.head, image, frame.tail])),
		});
		return { status: res.status, json: await res.json() };
	}

	it.each(API_FIELD_LIST.map((field) => [field.wire, field] as const))(
		'%s: sent typed in JSON and as a string in multipart, accepted by the simulator',
		async (wire, field) => {
			const { good } = samples(field);
			for (const operation of field.operations) {
				const fields = { ...BASE, [wire]: good };
				const body = jsonBody(request(operation, fields));
				expect(body[wire]).toStrictEqual(wire === 'response_format' ? 'b64_json' : good);
				const form = new Map(formFields(request(operation, fields)));
				expect(form.get(wire)).toBe(String(body[wire]));
				const answer = await send(operation, fields);
				expect({ wire, operation, status: answer.status }).toEqual({
					wire,
					operation,
					status: 200,
				});
				const recorded = sim().apiRequests().at(-1)!;
				const sent = operation === 'generate' ? recorded.json : recorded.fields;
				expect(sent[wire]).toStrictEqual(
					operation === 'generate' ? body[wire] : String(body[wire]),
				);
			}
			// An endpoint the row does not list never gets the field.
			for (const operation of ['generate', 'edit'] as const) {
				if (field.operations.includes(operation)) continue;
				expect(jsonBody(request(operation, { ...BASE, [wire]: good }))).not.toHaveProperty(wire);
			}
		},
	);

	it.each(
		API_FIELD_LIST.filter((f) => samples(f).bad !== undefined).map((f) => [f.wire, f] as const),
	)(
		'%s: a value out of its check is refused by the node (settings) and by the simulator',
		async (wire, field) => {
			const { bad } = samples(field);
			const node = field.setting
				? () => readSettings('step-image-edit-2', { [field.setting!.name]: bad })
				: wire === 'prompt'
					? () => validatePrompt(bad)
					: wire === 'size'
						? () => validateSize('step-image-edit-2', bad)
						: undefined; // response_format: the node derives it from Result Format
			if (node) expect(node).toThrow(ParameterError);
			// As sent by hand: the node's own requests never carry such a value.
			const answer = await generate({ ...BASE, response_format: 'b64_json', [wire]: bad });
			expect(answer.status).toBe(400);
			expect(answer.json.error.message).toContain(wire);
		},
	);

	it.each(API_FIELD_LIST.filter((f) => f.models).map((f) => [f.wire, f] as const))(
		'%s: a model the row does not list is refused by the node and the simulator; a typed ID is not',
		async (wire, field) => {
			const others = KNOWN.filter((m) => !field.models!.includes(m));
			expect(others.length).toBeGreaterThan(0);
			for (const model of others) {
				expect(modelTakes(field, model)).toBe(false);
				expect(() => readSettings(model, { [field.setting!.name]: samples(field).good })).toThrow(
					`${model} does not support`,
				);
				const answer = await send('generate', { ...BASE, model, [wire]: samples(field).good });
				expect(answer.json.error.message).toBe(`${wire} is not supported by model ${model}`);
			}
			expect(modelTakes(field, 'step-image-edit-9')).toBe(true);
		},
	);

	it('each Image Setting is one field of the editor, typed and ranged by its row, shown per model', () => {
		const properties = new StepFunImage().description.properties;
		const collections = properties.filter((p) => p.name === 'imageOptions');
		expect(collections.length).toBeGreaterThan(0);
		const settings = API_FIELD_LIST.filter((f) => f.setting);
		for (const collection of collections) {
			const options = collection.options as INodeProperties[];
			expect(options.map((o) => o.name).sort()).toEqual(
				settings.map((f) => f.setting!.name).sort(),
			);
			for (const field of settings) {
				const option = options.find((o) => o.name === field.setting!.name)!;
				expect(option.displayName).toBe(field.label);
				const { check } = field;
				if (check.kind === 'integer' || check.kind === 'number') {
					expect(option.type).toBe('number');
					expect(option.typeOptions).toMatchObject({ minValue: check.min, maxValue: check.max });
				}
				const shown = option.displayOptions?.show?.['/model'];
				expect(shown).toEqual(field.models ? [...field.models, 'custom'] : undefined);
			}
		}
	});
});
