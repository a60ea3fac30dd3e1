// One image's request, built once, and how it goes on the wire: pure, read from the parameter table.
import { API_FIELD_LIST, API_FIELDS, type WireFields } from './apiFields';
import type { Operation } from './models';

/** Options → Result Format. */
export type ResultFormat = 'binary' | 'binaryFromUrl' | 'url';

export const RESULT_FORMATS: readonly ResultFormat[] = ['binary', 'binaryFromUrl', 'url'];

/** One image's request: what is sent, and what becomes of the answer. */
export interface ImageRequest {
	operation: Operation;
	itemIndex: number;
	/** Which of the item's images this is (from 0; see "Number of Images"). */
	variant: number;
	/** The API fields to send, checked, by wire name (response_format follows the Result Format). */
	fields: WireFields;
	resultFormat: ResultFormat;
	/** The output file's name for an image of this extension (index: a further image in one answer). */
	fileName(extension: string, index: number): string;
}

/** What an item asks for, checked once for all its images. */
export interface ItemAsk {
	operation: Operation;
	itemIndex: number;
	/** model, prompt, size and the Image Settings, by wire name. */
	fields: WireFields;
	resultFormat: ResultFormat;
	/** Images for this item ("Number of Images"), one request each. */
	images: number;
	/** Options → File Name (empty for the operation's default `baseName`). */
	fileName: unknown;
	baseName: string;
}

/** The request for image `variant` of an item: seed + variant when a Seed is set. */
export function imageRequest(ask: ItemAsk, variant: number): ImageRequest {
	const seed = variantSeed(ask.fields.seed as number | undefined, variant);
	const { resultFormat } = ask;
	return {
		operation: ask.operation,
		itemIndex: ask.itemIndex,
		variant,
		resultFormat,
		fields: {
			...ask.fields,
			// The image itself comes in the answer; for the other formats, a URL.
			response_format: resultFormat === 'binary' ? 'b64_json' : 'url',
			...(seed === undefined ? {} : { seed }),
		},
		fileName: (extension, index) =>
			outputFileName(ask.fileName, ask.baseName, extension, ask.images > 1 ? variant : -1, index),
	};
}

/** Image `variant` (from 0) of a seeded item uses seed + variant, wrapping past StepFun's maximum. */
export function variantSeed(seed: number | undefined, variant: number): number | undefined {
	if (seed === undefined) return undefined;
	return (seed + variant) % (API_FIELDS.seed.check.max + 1);
}

/**
 * The output file's name: File Name (or the operation's default) with the real image extension;
 * with several images per item they are "-1" … "-N" (`variant` -1: the item's only image), and a
 * further image in one answer adds "-2".
 */
export function outputFileName(
	requested: unknown,
	baseName: string,
	extension: string,
	variant: number,
	index = 0,
): string {
	const name =
		typeof requested === 'string' && requested.trim() !== '' ? requested.trim() : baseName;
	const suffix = `${variant >= 0 ? `-${variant + 1}` : ''}${index > 0 ? `-${index + 1}` : ''}`;
	const stem = name.replace(/\.(png|jpe?g|webp)$/i, '');
	return `${stem}${suffix}.${extension}`;
}

/** The JSON body for POST /images/generations: the fields set, typed, in the table's order. */
export function jsonBody(request: ImageRequest): Record<string, string | number | boolean> {
	const body: Record<string, string | number | boolean> = {};
	for (const [name, value] of sentFields(request)) body[name] = value;
	return body;
}

/**
 * The text fields of the multipart body for POST /images/edits, in the table's (the seed's curl)
 * order: every value a string. The upload puts the image part right after `model`.
 */
export function formFields(request: ImageRequest): Array<[string, string]> {
	return sentFields(request).map(([name, value]) => [name, String(value)]);
}

function sentFields(request: ImageRequest): Array<[string, string | number | boolean]> {
	const sent: Array<[string, string | number | boolean]> = [];
	for (const field of API_FIELD_LIST) {
		const value = request.fields[field.wire];
		if (value !== undefined && field.operations.includes(request.operation)) {
			sent.push([field.wire, value]);
		}
	}
	return sent;
}
