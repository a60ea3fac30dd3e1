// What can go wrong with an answer, as typed errors the client turns into node errors.

/** The response is unusable; the message says what was wrong with it. Not retried. */
export class MalformedResponseError extends Error {}

/** The body ended before it was complete: a transport failure, worth a retry. */
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

export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
	if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
	return `${bytes} bytes`;
}
