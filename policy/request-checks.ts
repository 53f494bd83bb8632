// Checks a request's own fields against the directory, the entitlement and its policy before any
// workflow starts, so a bad request is refused with a clear message and changes nothing.
import { formatDuration, riskAtMost } from '../domain/index.js';
import { findPerson } from './approvers.js';
import type { MaxDurationResult, RequestCheckInput, RequestFieldProblem } from './types.js';

/** The longest grant allowed: the stricter of the entitlement's and the policy's `maxDuration`. */
export function effectiveMaxDuration(
  input: Pick<RequestCheckInput, 'entitlement' | 'policy'>,
): MaxDurationResult {
  const entitlementMax = input.entitlement.maxDurationSeconds;
  const policyMax = input.policy.definition.maxDuration;
  // On a tie the entitlement is named: it is the limit the requester picked and can see.
  return policyMax !== undefined && policyMax < entitlementMax
    ? { seconds: policyMax, source: 'policy' }
    : { seconds: entitlementMax, source: 'entitlement' };
}

/** Problems with the request's fields, in field order; empty when the request may go ahead. */
export function checkRequestInput(input: RequestCheckInput): RequestFieldProblem[] {
  const problems: RequestFieldProblem[] = [];
  const requester = input.requester.trim().toLowerCase();
  const person = findPerson(input.directory, requester);
  if (!person) {
    problems.push({
      field: 'requester',
      message: `must be a person in the directory; no one has the email "${requester}"`,
    });
  } else if (person.status !== 'active') {
    problems.push({ field: 'requester', message: `must be an active person; ${requester} is inactive` });
  }

  const { durationSeconds } = input;
  const max = effectiveMaxDuration(input);
  if (!Number.isInteger(durationSeconds) || durationSeconds <= 0) {
    problems.push({ field: 'durationSeconds', message: 'must be a positive whole number of seconds' });
  } else if (durationSeconds > max.seconds) {
    const limit =
      max.source === 'entitlement'
        ? "the entitlement's maxDuration"
        : `the maxDuration of policy "${input.policy.key}"`;
    problems.push({
      field: 'durationSeconds',
      message: `must be at most ${formatDuration(max.seconds)} (${limit})`,
    });
  }

  const above = input.policy.definition.requireReasonAbove;
  const { risk, name } = input.entitlement;
  if (above !== undefined && !riskAtMost(risk, above) && !input.reason?.trim()) {
    problems.push({
      field: 'reason',
      message: `must be given: ${name} is ${risk} risk and policy "${input.policy.key}" asks for a reason above ${above}`,
    });
  }
  return problems;
}
