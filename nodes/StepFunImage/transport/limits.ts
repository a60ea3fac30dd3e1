// Bounds on what the node reads from the network, and what an answer that breaks them raises.

/**
 * The largest answer accepted, counted after decompression. The largest legitimate one is a
 * 4096×4096 RGBA PNG stored without compression (about 64 MiB) sent as base64 JSON (about 86 MiB);
 * 128 MiB leaves a 1.5× margin. Result and input downloads share the cap.
 */
export const MAX_ANSWER_BYTES = 128 * 1024 * 1024;

/** The JSON around the images (ids, URLs, metadata): a few hundred bytes in practice. */
export const MAX_JSON_TEXT_BYTES = 1024 * 1024;

/** How much of an error body is read for StepFun's error.type / error.message. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Same-origin 307/308 hops an API call may take (the key never leaves the Base URL's origin). */
export const MAX_API_REDIRECTS = 3;

/** Redirects a file download may follow (no key is sent there). */
export const MAX_DOWNLOAD_REDIRECTS = 5;

/** The answer is unusable; the message says what was wrong with it. Not retried. */
export class MalformedResponseError extends Error {}

/** The body ended before it was complete: worth another try, like a dropped connection. */
export class TruncatedResponseError extends MalformedResponseError {}

/** The body is (or announces itself) larger than the node accepts; reading stopped there. */
export class ResponseTooLargeError extends MalformedResponseError {
	static body(max: number): ResponseTooLargeError {
		return new ResponseTooLargeError(
			`the answer is larger than ${formatBytes(max)} (counted after decompression), the most this node accepts`,
		);
	}

	static text(max: number): ResponseTooLargeError {
		return new ResponseTooLargeError(
			`the JSON around the image is larger than ${formatBytes(max)}, the most this node accepts`,
		);
	}

	static announced(size: number, max: number): ResponseTooLargeError {
		return new ResponseTooLargeError(
			`the answer announces ${formatBytes(size)} (Content-Length), more than the ${formatBytes(max)} this node accepts`,
		);
	}
}

function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
	if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
	return `${bytes} bytes`;
}
