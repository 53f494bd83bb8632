// A person left: in one durable process, revoke their tokens, cancel their open requests, hand
// the approvals waiting on them and their open reviews to their manager (or the resource owner),
// revoke every grant through its own lifetime workflow until each removal is read back (or known
// unreadable), then deactivate their own accounts at apps that keep them (SCIM). The leaver SLA
// is measured from the deactivation; passing it with access still in place is recorded and told
// to the manager.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { LeaverInput, LeaverResult } from './messages.js';

const { beginLeaver, revokeLeaverGrants, deactivateLeaverAccounts, completeLeaver, recordLeaverSlaBreach } =
  proxyActivities<Activities>({
    startToCloseTimeout: '2 minutes',
    // They heartbeat per request and per grant: a worker that dies mid-pass is noticed in
    // seconds, not after the whole two minutes (the leaver SLA is counting).
    heartbeatTimeout: '15 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

/** Waits between passes: quick at first (most removals take seconds), then every 30 s. */
const pauseAfter = (pass: number) => Math.min(30_000, 500 * 2 ** pass);

/** Removes everything a leaver holds; returns what was removed and how long it took. */
export async function leaver(input: LeaverInput): Promise<LeaverResult> {
  const started = await beginLeaver(input);
  const slaEndsAt = input.deactivatedAt + input.slaSeconds * 1000;
  let breached = false;
  for (let n = 0; ; n += 1) {
    const pass = await revokeLeaverGrants(input);
    if (pass.pending === 0) {
      const accounts = await deactivateLeaverAccounts(input);
      const secondsToRemoval = Math.max(0, Math.round((Date.now() - input.deactivatedAt) / 1000));
      const result: LeaverResult = {
        ...started,
        grants: pass.grants,
        verified: pass.verified,
        unverified: pass.unverified,
        failed: pass.failed,
        accounts,
        secondsToRemoval,
        withinSla:
          !breached &&
          Date.now() <= slaEndsAt &&
          pass.failed === 0 &&
          accounts.every((account) => account.outcome !== 'failed'),
      };
      await completeLeaver({ ...input, result });
      return result;
    }
    if (!breached && Date.now() > slaEndsAt) {
      breached = true;
      await recordLeaverSlaBreach({ ...input, pass });
    }
    await sleep(pauseAfter(n));
  }
}
