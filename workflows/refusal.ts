// Refusals from update validators carry a stable code as the failure type, so the API can answer
// 403 (not allowed) or 409 (wrong state, duplicate) without parsing messages.
import { ApplicationFailure } from '@temporalio/workflow';

/**
 * Why an update was refused: who may not (`not_allowed`), or not now (`conflict`); an approval
 * that needs a passkey and lacks one (`step_up_required`) or carries one for something else
 * (`step_up_failed`).
 */
export type RefusalCode = 'not_allowed' | 'conflict' | 'invalid' | 'step_up_required' | 'step_up_failed';

/** A refusal: code and a sentence for the person who tried. */
export type Refusal = { code: RefusalCode; message: string };

/** Throws `refusal` as the validator's rejection. */
export function refuse(refusal: Refusal): never {
  throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
}
