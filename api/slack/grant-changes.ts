// Release and extend from Slack (buttons, App Home, `/access release`): the grant's workflow decides
// whether this person may; a refusal is told privately and recorded.
import type { WebClient } from '@slack/web-api';
import { getGrant } from '../../db/queries/grants.js';
import type { Person } from '../../db/schema.js';
import { extendGrant } from '../../requests/extend.js';
import { sendUpdate } from '../../temporal/updates.js';
import { grantWorkflowId } from '../../workflows/ids.js';
import { releaseUpdate } from '../../workflows/messages.js';
import { isRefused, recordRefusedAction, type SlackContext, slackActor, tellPrivately } from './context.js';

/** One click (or command) on a grant. */
export type GrantClick = {
  person: Person;
  slackId: string;
  grantId: string;
  channel?: string;
  actionId: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Releases or extends a grant; answers whether it happened and in words. A refusal has already been
 * told privately. Someone else's grant reads as unknown, so nobody learns which grants exist.
 */
export async function changeGrant(
  ctx: SlackContext,
  client: WebClient,
  click: GrantClick,
  change: 'release' | 'extend',
): Promise<{ done: boolean; text: string }> {
  const grant = UUID.test(click.grantId) ? await getGrant(ctx.db, click.grantId) : undefined;
  const refuse = async (reason: string) => {
    await recordRefusedAction(ctx, {
      person: click.person,
      slackId: click.slackId,
      action: change,
      reason,
      target: { type: 'grant', id: click.grantId },
      actionId: click.actionId,
    });
    const text = `Could not ${change} it: ${reason}.`;
    await tellPrivately(client, click.channel, click.slackId, text);
    return { done: false, text };
  };
  if (!grant || grant.personId !== click.person.id) return refuse(`you hold no grant ${click.grantId}`);
  const actor = slackActor(click.person, click.slackId);
  try {
    if (change === 'release') {
      await sendUpdate(ctx.temporal, grantWorkflowId(grant.id), releaseUpdate, actor, 'grant', {
        updateId: click.actionId,
      });
      return { done: true, text: `Released ${grant.resourceName} / ${grant.entitlementName}.` };
    }
    if (!grant.expiresAt) return refuse('this access has no end date, so there is nothing to extend');
    // As long again as it was first granted for; the workflow holds it to the entitlement's maximum.
    const seconds = Math.round(
      (new Date(grant.expiresAt).getTime() - new Date(grant.grantedAt).getTime()) / 1000,
    );
    const state = await extendGrant(ctx, grant, actor, seconds, { updateId: click.actionId });
    const until = state.expiresAt === null ? 'no end date' : new Date(state.expiresAt).toISOString();
    return { done: true, text: `Extended ${grant.resourceName} / ${grant.entitlementName} until ${until}.` };
  } catch (error) {
    if (!isRefused(error)) throw error;
    return refuse(error.message);
  }
}
