// An activity's failure as a person reads it, for the ledger's reasons and the messages that
// report a provisioning that failed.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** `<type>: <message>` when the failure carries a type (a connector's code), else its message. */
export function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    return `${error.cause.type ?? 'error'}: ${error.cause.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
