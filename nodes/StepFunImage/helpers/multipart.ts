// multipart/form-data framing for the edit upload, built around the image so the image is copied
// once, straight into the request body, instead of into a Blob and again into the request.

export interface MultipartFile {
	/** The form field (`image`). */
	field: string;
	fileName: string;
	contentType: string;
	size: number;
}

export interface MultipartFrame {
	/** Everything before the file's bytes: the fields before it and the file part's headers. */
	head: Buffer;
	/** Everything after them: the fields after it and the closing boundary. */
	tail: Buffer;
	contentType: string;
	/** head + file + tail. */
	length: number;
}

/**
 * Frames `file` among `fields`, in order, placing the file right after the field named `after`
 * (what `curl -F` sends for the seed's example: model, image, prompt, …).
 */
export function multipartFrame(
	fields: Array<[string, string]>,
	file: MultipartFile,
	after: string,
	boundary: string,
): MultipartFrame {
	const at = fields.findIndex(([name]) => name === after) + 1;
	const part = (name: string, value: string) =>
		`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
	const head =
		fields
			.slice(0, at)
			.map(([name, value]) => part(name, value))
			.join('') +
		`--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.fileName)}"\r\n` +
		`Content-Type: ${file.contentType}\r\n\r\n`;
	const tail =
		'\r\n' +
		fields
			.slice(at)
			.map(([name, value]) => part(name, value))
			.join('') +
		`--${boundary}--\r\n`;
	const headBytes = Buffer.from(head, 'utf8');
	const tailBytes = Buffer.from(tail, 'utf8');
	return {
		head: headBytes,
		tail: tailBytes,
		contentType: `multipart/form-data; boundary=${boundary}`,
		length: headBytes.length + file.size + tailBytes.length,
	};
}

/** As browsers and undici encode names in a form: quotes and line breaks escaped. */
function quote(text: string): string {
	return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
