// Streaming base64 decoding: text arrives in chunks, bytes go into one Buffer.
import { MalformedResponseError } from './failures';

const EMPTY = Buffer.alloc(0);

/** Decodes one base64 value pushed in pieces; `preallocate` (text bytes still to come) sizes the output. */
export class Base64Decoder {
	private carry = '';
	private out: Buffer | undefined;
	private written = 0;
	private readonly pieces: Buffer[] = [];

	constructor(
		private readonly index: number,
		preallocate = 0,
	) {
		// Base64 text of n bytes decodes to at most ceil(n * 3 / 4) bytes.
		if (preallocate > 0) this.out = Buffer.allocUnsafe(Math.ceil((preallocate * 3) / 4));
	}

	push(bytes: Buffer): void {
		let text = bytes.toString('latin1');
		// JSON may escape "/" as "\/" and carry line breaks as "\n".
		if (text.includes('\\')) text = text.replace(/\\[nrt]/g, '').replace(/\\/g, '');
		if (!/^[A-Za-z0-9+/=_\-\s]*$/.test(text)) throw this.invalid();
		text = this.carry + text.replace(/\s+/g, '');
		const usable = text.length - (text.length % 4);
		this.carry = text.slice(usable);
		if (usable > 0) this.write(text.slice(0, usable));
	}

	finish(): Buffer {
		if (this.carry.length === 1) throw this.invalid();
		if (this.carry) this.write(this.carry);
		const tail = this.out ? [this.out.subarray(0, this.written)] : [];
		const bytes =
			this.pieces.length === 0 ? (tail[0] ?? EMPTY) : Buffer.concat([...this.pieces, ...tail]);
		if (bytes.length === 0) {
			throw new MalformedResponseError(
				`image ${this.index + 1} in the API response has empty base64 data`,
			);
		}
		return bytes;
	}

	private invalid(): MalformedResponseError {
		return new MalformedResponseError(
			`image ${this.index + 1} in the API response is not valid base64`,
		);
	}

	private write(text: string): void {
		const needed = Math.ceil((text.length * 3) / 4);
		if (this.out && this.written + needed <= this.out.length) {
			this.written += this.out.write(text, this.written, 'base64');
			return;
		}
		// No or too small a preallocation (unknown or compressed length): collect pieces instead.
		if (this.out) {
			this.pieces.push(this.out.subarray(0, this.written));
			this.out = undefined;
			this.written = 0;
		}
		this.pieces.push(Buffer.from(text, 'base64'));
	}
}
