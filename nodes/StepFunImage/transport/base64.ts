// Streaming base64 decoding: text arrives in chunks, decoded bytes go on to a sink as they form.
import { MalformedResponseError } from './limits';

/** Decodes one base64 value pushed in pieces, handing each decoded piece to `emit`. */
export class Base64Decoder {
	private carry = '';
	private emitted = 0;
	/** The value's first characters, until a data URL prefix is ruled out or passed over. */
	private head: string | undefined = '';

	constructor(
		private readonly index: number,
		private readonly emit: (bytes: Buffer) => void | Promise<void>,
	) {}

	/**
	 * Takes the next piece of base64 text. The decoded bytes are written over the text's own
	 * Buffer when they fit (they are 3/4 its size), so decoding allocates nothing per chunk.
	 */
	async push(bytes: Buffer): Promise<void> {
		let text = bytes.toString('latin1');
		// JSON may escape "/" as "\/" and carry line breaks as "\n".
		if (text.includes('\\')) text = text.replace(/\\[nrt]/g, '').replace(/\\/g, '');
		if (this.head !== undefined) {
			const start = this.passDataUrl(this.head + text);
			if (start === undefined) return;
			text = start;
		}
		if (!/^[A-Za-z0-9+/=_\-\s]*$/.test(text)) throw this.invalid();
		text = this.carry + text.replace(/\s+/g, '');
		const usable = text.length - (text.length % 4);
		this.carry = text.slice(usable);
		if (usable > 0) await this.write(text.slice(0, usable), bytes);
	}

	/** The value ended: decodes what is left. */
	async finish(): Promise<void> {
		if (this.head) {
			const rest = this.head;
			this.head = undefined;
			await this.push(Buffer.from(rest, 'latin1'));
		}
		if (this.carry.length === 1) throw this.invalid();
		if (this.carry) await this.write(this.carry);
		this.carry = '';
		if (this.emitted === 0) {
			throw new MalformedResponseError(
				`image ${this.index + 1} in the API response has empty base64 data`,
			);
		}
	}

	/**
	 * A data URL ("data:image/png;base64,…") carries its type before the base64: passed over. Returns
	 * the text to decode, or undefined while the first characters could still be such a prefix.
	 */
	private passDataUrl(text: string): string | undefined {
		const prefix = /^data:[^,]{0,100},/.exec(text);
		if (prefix) {
			this.head = undefined;
			return text.slice(prefix[0].length);
		}
		const maybe = text.length < 5 ? 'data:'.startsWith(text) : text.startsWith('data:');
		if (maybe && text.length <= 106) {
			this.head = text;
			return undefined;
		}
		this.head = undefined;
		return text;
	}

	private invalid(): MalformedResponseError {
		return new MalformedResponseError(
			`image ${this.index + 1} in the API response is not valid base64`,
		);
	}

	private async write(text: string, into?: Buffer): Promise<void> {
		const room = into && into.length >= Math.ceil((text.length * 3) / 4);
		const bytes = room
			? into.subarray(0, into.write(text, 0, 'base64'))
			: Buffer.from(text, 'base64');
		this.emitted += bytes.length;
		if (bytes.length > 0) await this.emit(bytes);
	}
}
