// A resource owner's manual task: Done reports the access granted by hand; Can't do asks why in a
// modal (views/fulfil-refused.ts). The workflow decides whether this person may report it.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Person } from '../../../../db/schema.js';
import { reportFulfilment as reportToWorkflow } from '../../../../requests/index.js';
import { ACTION } from '../../../../slack/blocks/ids.js';
import {
  isRefused,
  personOf,
  recordRefusedAction,
  type SlackContext,
  slackActor,
  tellPrivately,
} from '../../context.js';
import { askForReason } from './deny.js';

/** Sends a fulfilment outcome; a refusal is told privately and recorded. */
export async function reportFulfilment(
  ctx: SlackContext,
  client: WebClient,
  click: { person: Person; slackId: string; requestId: string; channel?: string; actionId: string },
  outcome: 'done' | 'refused',
  reason?: string,
): Promise<void> {
  try {
    await reportToWorkflow(
      ctx,
      { requestId: click.requestId, outcome, updateId: click.actionId },
      slackActor(click.person, click.slackId, reason),
    );
  } catch (error) {
    if (!isRefused(error)) throw error;
    await recordRefusedAction(ctx, {
      person: click.person,
      slackId: click.slackId,
      action: `fulfil_${outcome}`,
      reason: error.message,
      target: { type: 'request', id: click.requestId },
      actionId: click.actionId,
    });
    await tellPrivately(client, click.channel, click.slackId, `Not recorded: ${error.message}.`);
  }
}

/** Registers the Done and Can't do buttons. */
export function registerFulfil(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.fulfilDone, async ({ ack, action, body, context, client }) => {
    await ack();
    await reportFulfilment(
      ctx,
      client,
      {
        person: personOf(context),
        slackId: body.user.id,
        requestId: action.value ?? '',
        ...(body.channel?.id ? { channel: body.channel.id } : {}),
        actionId: `slack:${body.user.id}:${action.action_ts}`,
      },
      'done',
    );
  });
  app.action<BlockAction<ButtonAction>>(ACTION.fulfilRefused, async ({ ack, action, body, client }) => {
    await ack();
    await askForReason(client, body, action.value ?? '', 'fulfil_refused');
  });
}
