// Bounds on what the node reads from the network.

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
