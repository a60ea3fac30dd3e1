// Once the account refuses an execution (key rejected, no balance), the execution's other requests
// would only be refused too: they fail at once with the same error, unsent.
import { Failure } from '../domain/failures';
import { ACCOUNT_REFUSALS } from './retry';

export class AccountRefusal {
	private first: { failure: Failure; itemIndex: number } | undefined;

	/** Remembers the first failure that refused the account. */
	note(error: unknown, itemIndex: number): void {
		const status = error instanceof Failure ? error.api?.httpCode : undefined;
		if (status && ACCOUNT_REFUSALS.has(status))
			this.first ??= { failure: error as Failure, itemIndex };
	}

	/** The error an item fails with, unsent, once the account refused this execution. */
	notSent(itemIndex: number): Failure | undefined {
		if (!this.first) return undefined;
		const { failure } = this.first;
		const which =
			this.first.itemIndex === itemIndex
				? 'another image of this item'
				: `item ${this.first.itemIndex}`;
		return new Failure(
			`${failure.message} — ${which} was refused, so this one was not sent`,
			failure.description,
			failure.api,
		);
	}
}
