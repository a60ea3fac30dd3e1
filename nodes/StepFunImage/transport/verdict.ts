// What one API attempt came to: the answer, or the failure it makes (every text from the network
// redacted) and how it is retried. Pure: the client makes the attempts, this judges them.
import { parseUrl } from '../domain/endpoints';
import {
	apiFailed,
	extractApiError,
	Failure,
	unusableAnswer,
	type ApiFailure,
} from '../domain/failures';
import { safeUrl, type Redactor } from '../domain/redact';
import type { ImageAnswer } from './imageJson';
import type { Outcome } from './response';
import { parseRetryAfter, retryOf, type Tried } from './retry';

/** An attempt's outcome: an answer read (see response.ts), or no answer at all. */
export type Attempted = Outcome | { kind: 'network'; code: string };

export interface Judging {
	model: string;
	baseUrl: string;
	redact: Redactor;
}

/** The failure with its whole message and description redacted (pieces can join into a key). */
export function redactFailure(redact: Redactor, failure: Failure): Failure {
	return new Failure(
		redact(failure.message, 1000) ?? '',
		redact(failure.description, 2000) ?? '',
		failure.api,
	);
}

/** Whether an attempt's outcome is the answer, and if not, the failure it makes and how it is retried. */
export function judgeAttempt(
	outcome: Attempted,
	{ model, baseUrl, redact }: Judging,
): Tried<{ answer: ImageAnswer; traceId?: string }> {
	if (outcome.kind === 'ok') return { ok: outcome };
	const safe = (failure: Failure) => redactFailure(redact, failure);
	const failed = (more: ApiFailure) => (attempts: number) =>
		safe(apiFailed({ model, baseUrl, ...more, attempts }));
	switch (outcome.kind) {
		case 'unusable': {
			const trace = redact(outcome.traceId, 200);
			return { failed: () => safe(unusableAnswer(outcome.reason, trace)), retry: 'no' };
		}
		case 'cut':
			return { failed: failed({ cutOff: outcome.reason }), retry: 'transient' };
		case 'network':
			return { failed: failed({ networkCode: outcome.code }), retry: 'transient' };
		case 'redirect': {
			const target = parseUrl(outcome.location, baseUrl)?.href ?? outcome.location;
			const more = { status: outcome.status, traceId: redact(outcome.traceId, 200) };
			return { failed: failed({ ...more, redirectTo: safeUrl(redact, target) }), retry: 'no' };
		}
		default: {
			const api = outcome.text ? extractApiError(outcome.text) : {};
			return {
				failed: failed({
					status: outcome.status,
					traceId: redact(outcome.traceId, 200),
					errorType: redact(api.type, 100),
					errorMessage: redact(api.message, 300),
				}),
				retry: retryOf(outcome.status),
				retryAfterMs: parseRetryAfter(outcome.retryAfter),
			};
		}
	}
}
