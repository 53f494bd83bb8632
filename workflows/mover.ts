// A person moved (a new manager or department): their access is looked at again, resource by
// resource as its `onMove` says: a micro-certification by the new manager (`review`, a campaign
// over just this person's grants there), removal through each grant's lifetime (`revoke`), or
// nothing (`keep`). One workflow per move; its one activity is idempotent, so a retry or a
// restarted worker launches one review and sends each revoke once.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { MoverInput, MoverResult } from './messages.js';

const { handleMove } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Reviews, revokes or keeps a mover's access; returns how many grants went each way. */
export async function mover(input: MoverInput): Promise<MoverResult> {
  return handleMove(input);
}
