// /access: with no words, the request modal; `list`, `release <grant-id>`, `help`; and for admins
// `campaign launch` (the launch modal) and `campaign signoff <campaign-id>`.
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { listAccessRequests, OPEN_REQUEST_STATUSES } from '../../../../db/queries/access-requests.js';
import { listGrants } from '../../../../db/queries/grants.js';
import { listAllResources } from '../../../../db/queries/resources.js';
import type { Person } from '../../../../db/schema.js';
import { accessListText, helpText } from '../../../../slack/blocks/commands.js';
import { launchModal } from '../../../../slack/blocks/launch.js';
import { requestModal } from '../../../../slack/blocks/modals.js';
import { grantCard, requestFacts } from '../../../../slack/cards.js';
import { isSlackAdmin, refuseNonAdmin, signOffFromSlack } from '../../campaign-admin.js';
import { personOf, type SlackContext } from '../../context.js';
import { changeGrant } from '../../grant-changes.js';

/** How many grants and requests `/access list` reads. */
const LIST_LIMIT = 50;

/** Registers the /access command. */
export function registerAccessCommand(app: App, ctx: SlackContext): void {
  app.command('/access', async ({ ack, command, respond, context, client }) => {
    await ack();
    const person = personOf(context);
    // Slack always sends `text`; a payload that lacks it (or sends no string) asks for nothing.
    const text = typeof command.text === 'string' ? command.text : '';
    const [verb = '', ...rest] = text.trim().split(/\s+/);
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
      case 'campaign':
        await campaignCommand(ctx, { person, command, client, respond }, rest);
        return;
      default:
        await tell(helpText());
    }
  });
}

/** `/access campaign launch|signoff <id>`: admins only; anyone else is refused on the record. */
async function campaignCommand(
  ctx: SlackContext,
  call: { person: Person; command: SlashCommand; client: WebClient; respond: RespondFn },
  words: string[],
): Promise<void> {
  const { person, command, client } = call;
  const tell = (text: string) => call.respond({ response_type: 'ephemeral', text });
  const verb = (words[0] ?? '').toLowerCase();
  const campaignId = words[1];
  const who = { person, slackId: command.user_id };
  if (verb !== 'launch' && verb !== 'signoff') {
    await tell('Campaigns: `/access campaign launch`, or `/access campaign signoff &lt;campaign-id&gt;`.');
    return;
  }
  if (verb === 'signoff' && !campaignId) {
    await tell('Which campaign? `/access campaign signoff &lt;campaign-id&gt;`');
    return;
  }
  if (!(await isSlackAdmin(ctx, who))) {
    const target = { type: 'campaign' as const, id: campaignId ?? 'new' };
    await tell(
      await refuseNonAdmin(ctx, who, verb === 'launch' ? 'launch_campaign' : 'sign_off_campaign', target),
    );
    return;
  }
  if (verb === 'launch') {
    const resources = (await listAllResources(ctx.db)).filter((resource) => resource.status === 'active');
    await client.views.open({ trigger_id: command.trigger_id, view: launchModal({ resources }) });
    return;
  }
  await tell(
    await signOffFromSlack(ctx, who, campaignId ?? '', `slack:${command.user_id}:${command.trigger_id}`),
  );
}
