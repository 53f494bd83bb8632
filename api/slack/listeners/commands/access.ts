// /access: with no words, the request modal; `list`, `release <grant-id>`, `help`.
import type { App } from '@slack/bolt';
import { listAccessRequests, OPEN_REQUEST_STATUSES } from '../../../../db/queries/access-requests.js';
import { listGrants } from '../../../../db/queries/grants.js';
import { accessListText, helpText, requestModal } from '../../blocks.js';
import { grantCard, requestFacts } from '../../cards.js';
import { personOf, type SlackContext } from '../../context.js';
import { changeGrant } from '../../grant-changes.js';

/** How many grants and requests `/access list` reads. */
const LIST_LIMIT = 50;

/** Registers the /access command. */
export function registerAccessCommand(app: App, ctx: SlackContext): void {
  app.command('/access', async ({ ack, command, respond, context, client }) => {
    await ack();
    const person = personOf(context);
    const [verb = '', ...rest] = command.text.trim().split(/\s+/);
    const tell = (text: string) => respond({ response_type: 'ephemeral', text });
    switch (verb.toLowerCase()) {
      case '':
        await client.views.open({ trigger_id: command.trigger_id, view: requestModal({}) });
        return;
      case 'list': {
        const [grants, requests] = await Promise.all([
          listGrants(ctx.db, { personId: person.id, status: ['active'], limit: LIST_LIMIT }),
          listAccessRequests(ctx.db, {
            requesterId: person.id,
            status: [...OPEN_REQUEST_STATUSES],
            limit: LIST_LIMIT,
          }),
        ]);
        const cards = await Promise.all(requests.map(async (r) => (await requestFacts(ctx.db, r)).card));
        await tell(accessListText(grants.map(grantCard), cards));
        return;
      }
      case 'release': {
        const grantId = rest[0];
        if (!grantId) {
          await tell('Which grant? `/access release <grant-id>` (see `/access list` for ids).');
          return;
        }
        const outcome = await changeGrant(
          ctx,
          client,
          {
            person,
            slackId: command.user_id,
            grantId,
            channel: command.channel_id,
            actionId: `slack:${command.user_id}:${command.trigger_id}`,
          },
          'release',
        );
        if (outcome.done) await tell(outcome.text);
        return;
      }
      default:
        await tell(helpText());
    }
  });
}
