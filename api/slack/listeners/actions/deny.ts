// Deny clicked: a modal asks why (the reason is part of the record); the decision is sent when
// the modal is submitted (views/deny-reason.ts).
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ACTION } from '../../../../slack/blocks/ids.js';
import { reasonModal } from '../../../../slack/blocks/modals.js';
import type { SlackContext } from '../../context.js';

/** What the reason modals carry back: the request and where the click came from. */
export type ReasonMetadata = { requestId: string; channel?: string };

/** Reads a reason modal's metadata back; undefined when it is not one (a forged or foreign view). */
export function parseReasonMetadata(metadata: unknown): ReasonMetadata | undefined {
  if (typeof metadata !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(metadata);
  } catch {
    return undefined;
  }
  const { requestId, channel } = (value ?? {}) as { requestId?: unknown; channel?: unknown };
  if (typeof requestId !== 'string') return undefined;
  return { requestId, ...(typeof channel === 'string' ? { channel } : {}) };
}

/** Opens the modal that asks why, carrying the request and the channel of the click. */
export async function askForReason(
  client: WebClient,
  click: { trigger_id: string; channel?: { id?: string } | undefined },
  requestId: string,
  kind: 'deny' | 'fulfil_refused',
): Promise<void> {
  const metadata: ReasonMetadata = { requestId, ...(click.channel?.id ? { channel: click.channel.id } : {}) };
  await client.views.open({
    trigger_id: click.trigger_id,
    view: reasonModal(kind, JSON.stringify(metadata)),
  });
}

/** Registers the Deny button. */
export function registerDeny(app: App, _ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.deny, async ({ ack, action, body, client }) => {
    await ack();
    await askForReason(client, body, action.value ?? '', 'deny');
  });
}
