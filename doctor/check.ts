// The shape every doctor check answers with, and the three ways it can come out.

/** Whether a check passed, found a fault, or could not apply here. */
export type CheckStatus = 'pass' | 'fail' | 'skip';

/** One check as `grantflow doctor` prints it (and `--json` gives it). */
export type CheckResult = {
  /** Stable name for scripts and runbooks: `runtime-role`, `ledger-triggers`, ... */
  id: string;
  /** What was checked, in a few words. */
  title: string;
  status: CheckStatus;
  /** What was found: the evidence for a pass, the fault for a failure, the reason for a skip. */
  detail: string;
  /** What to do about a failure; only failures have one. */
  fix?: string;
};

/** How a check came out, before the report names it. */
export type CheckOutcome = Pick<CheckResult, 'status' | 'detail' | 'fix'>;

/** A check that passed, with what it saw. */
export const passed = (detail: string): CheckOutcome => ({ status: 'pass', detail });

/** A fault, and how to put it right. */
export const failed = (detail: string, fix: string): CheckOutcome => ({ status: 'fail', detail, fix });

/** A check that does not apply, and why. */
export const skipped = (detail: string): CheckOutcome => ({ status: 'skip', detail });

/** The message of anything thrown, for a detail line. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
