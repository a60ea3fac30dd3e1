// @ts-check
'use strict';
// POST /images/edits: the multipart/form-data body (text fields and exactly one file part named image)
// and the checks on the image itself.

const crypto = require('crypto');
const { MAX_EDIT_DIM } = require('../contract');
const { invalid } = require('../errors');
const { imageInfo, sniffImage } = require('../images');
const { getBoundary, parseMultipart, MultipartError } = require('../multipart');

/** @typedef {import('../recorder').RecordedRequest} RecordedRequest */
/** @typedef {import('../recorder').RecordedFile} RecordedFile */
/** @typedef {import('../validate').Params} Params */

/**
 * The text fields (as strings) and the image part of an edit request. Records fields and files.
 * @param {import('http').IncomingMessage} req
 * @param {Buffer} body
 * @param {RecordedRequest} record
 * @returns {{ params: Params; image: RecordedFile | undefined }}
 */
function readEditParts(req, body, record) {
	const ct = (req.headers['content-type'] || '').toLowerCase();
	if (!/^multipart\/form-data\s*(;|$)/.test(ct)) {
		throw invalid(
			`Content-Type must be multipart/form-data, got ${JSON.stringify(req.headers['content-type'] || '')}`,
		);
	}
	const boundary = getBoundary(req.headers['content-type']);
	if (!boundary) throw invalid('multipart/form-data without boundary');
	let parts;
	try {
		parts = parseMultipart(body, boundary);
	} catch (e) {
		if (e instanceof MultipartError) throw invalid(`malformed multipart body: ${e.message}`);
		throw e;
	}
	/** @type {Params} */
	const params = {};
	const dup = [];
	for (const p of parts) {
		if (p.filename !== undefined) {
			const data = Buffer.from(p.data); // copy: do not retain the whole body
			record.files.push({
				field: p.name,
				filename: p.filename,
				contentType: p.contentType,
				size: data.length,
				sha256: crypto.createHash('sha256').update(data).digest('hex'),
				data,
			});
		} else {
			const v = p.data.toString('utf8');
			if (Object.prototype.hasOwnProperty.call(record.fields, p.name)) dup.push(p.name);
			record.fields[p.name] = v;
			params[p.name] = v;
		}
	}
	if (dup.length) throw invalid(`field ${dup[0]} sent more than once`);
	const imageFiles = record.files.filter((f) => f.field === 'image');
	const other = record.files.find((f) => f.field !== 'image');
	if (other) throw invalid(`unexpected file field ${other.field}; only image is accepted`);
	if (params.image !== undefined) throw invalid('image must be a file part, not a text field');
	if (imageFiles.length > 1) throw invalid('only one image may be sent');
	return { params, image: imageFiles[0] };
}

/**
 * Check the edit image (present, a readable PNG/JPEG/WebP, at most MAX_EDIT_DIM each way) and record
 * its format and size on it. Returns its dimensions (the output's).
 * @param {RecordedFile | undefined} image
 * @returns {{ width: number; height: number }}
 */
function checkEditImage(image) {
	if (!image) throw invalid('image is required (one file part named image)');
	if (image.size === 0) throw invalid('image is empty');
	if (!sniffImage(image.data)) throw invalid('unsupported image format; send PNG, JPEG or WebP');
	let info;
	try {
		info = /** @type {import('../images').ImageInfo} */ (imageInfo(image.data));
	} catch (e) {
		throw invalid(`image could not be read: ${e instanceof Error ? e.message : e}`);
	}
	image.format = info.format;
	image.width = info.width;
	image.height = info.height;
	if (!(info.width > 0 && info.height > 0)) throw invalid('image has zero width or height');
	if (info.width > MAX_EDIT_DIM || info.height > MAX_EDIT_DIM) {
		throw invalid(
			`image is ${info.width}x${info.height}; maximum is ${MAX_EDIT_DIM}x${MAX_EDIT_DIM}`,
		);
	}
	return { width: info.width, height: info.height };
}

module.exports = { readEditParts, checkEditImage };
