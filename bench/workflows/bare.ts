// The baseline of `npm run bench -- requests`: a workflow with accessRequest's Temporal shape up to
// `granted` for a two-step policy, and nothing else. Same count of activities in the same order
// (plan, transition, notify; decision; transition, notify; decision; transition, provision, grant
// record), two updates whose handlers each run an activity and then wait for the main flow to take
// the decision in, and the same activity options. The activities do nothing, except that the
// bench's driver decides a step once its notify activity has run, as approvers act on their
// notification.
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

/** The one no-op activity; `step` names what it stands for in accessRequest, for the history. */
export type BareActivities = { noop(step: string): Promise<void> };

const { noop } = proxyActivities<BareActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** A decision by `approver`; answers with the step it decided once the main flow has taken it in. */
export const bareDecideUpdate = defineUpdate<number, [string]>('decide');

/** Runs until both steps are decided and the three provisioning activities are done. */
export async function bareRequest(): Promise<void> {
  // `open`: the step waiting for a decision (0: none yet); `decided`: the last step recorded;
  // `seen`: the last step the main flow has taken in.
  let open = 0;
  let decided = 0;
  let seen = 0;
  setHandler(
    bareDecideUpdate,
    async (approver) => {
      const step = open;
      await noop(`decision:${step}:${approver}`);
      decided = step;
      await condition(() => seen >= step);
      return step;
    },
    {
      validator: (_approver) => {
        if (open <= decided) throw new Error('no step is waiting for a decision');
      },
    },
  );

  await noop('plan');
  for (const step of [1, 2]) {
    await noop('transition:pending_approval');
    open = step;
    // The driver decides once this has run, as an approver acts on their notification.
    await noop(`notify:approval_needed:${step}`);
    await condition(() => decided >= step);
    seen = step;
  }
  await noop('transition:provisioning');
  await noop('provision');
  await noop('record-grant');
}
