// @ts-check
'use strict';
// PNG's signature and chunk CRC (shared by the encoder in png.js and the decoder in png-decode.js).

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

/**
 * @param {Buffer | Uint8Array} buf
 * @param {number} [start]
 * @param {number} [end]
 * @returns {number}
 */
function crc32(buf, start = 0, end = buf.length) {
	let c = 0xffffffff;
	for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

module.exports = { PNG_SIGNATURE, crc32 };
