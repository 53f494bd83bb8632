// The launch modal submitted by an admin: the form becomes the same launch input the API and CLI
// send, and `launchCampaign` checks it; what it refuses shows on the field it names, and a launched
// campaign turns the modal into its confirmation.
import type { App, ViewOutput } from '@slack/bolt';
import { launchCampaign } from '../../../../campaigns/launch.js';
import { GrantflowError } from '../../../../core/errors.js';
import { CAMPAIGN_VIEW, LAUNCH_BLOCK } from '../../../../slack/blocks/ids.js';
import { launchedModal } from '../../../../slack/blocks/launch.js';
import { launchDepsOf } from '../../../deps.js';
import { isSlackAdmin, refuseNonAdmin } from '../../campaign-admin.js';
import { personOf, type SlackContext } from '../../context.js';
import { selectedOption, selectedOptions, textInput } from '../../view-state.js';

const DAY = 86_400;
const HOUR = 3_600;

const list = (text: string | undefined, separator: RegExp) =>
  (text ?? '')
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');

const number = (text: string | undefined) =>
  text === undefined || text.trim() === '' ? undefined : Number(text);

/** The launch input (as the API takes it) from the modal's values; empty fields are left out. */
function launchInputOf(view: ViewOutput): Record<string, unknown> {
  // Each input's action id is its block id.
  const text = (block: string) => textInput(view, block, block);
  const chosen = (block: string) => selectedOptions(view, block, block);
  // A multi-select on a small catalog, a text field of keys on a large one.
  const resources = chosen(LAUNCH_BLOCK.resources) ?? list(text(LAUNCH_BLOCK.resources), /[\s,]+/);
  const entitlements = list(text(LAUNCH_BLOCK.entitlements), /[\s,]+/);
  const riskLevels = chosen(LAUNCH_BLOCK.riskLevels) ?? [];
  const departments = list(text(LAUNCH_BLOCK.departments), /,/);
  const scope = {
    ...(resources.length > 0 ? { resources } : {}),
    ...(entitlements.length > 0 ? { entitlements } : {}),
    ...(riskLevels.length > 0 ? { riskLevels } : {}),
    ...(departments.length > 0 ? { departments } : {}),
  };
  const rule = selectedOption(view, LAUNCH_BLOCK.reviewerRule, LAUNCH_BLOCK.reviewerRule) ?? 'manager';
  const person = text(LAUNCH_BLOCK.reviewerPerson)?.trim();
  const days = number(text(LAUNCH_BLOCK.dueDays));
  const reminderHours = number(text(LAUNCH_BLOCK.reminderHours));
  const escalationHours = number(text(LAUNCH_BLOCK.escalationHours));
  const defaultAction = selectedOption(view, LAUNCH_BLOCK.defaultAction, LAUNCH_BLOCK.defaultAction);
  return {
    name: text(LAUNCH_BLOCK.name) ?? '',
    scope,
    reviewer: { rule, ...(person ? { person } : {}) },
    ...(days !== undefined ? { dueInSeconds: Math.round(days * DAY) } : {}),
    ...(reminderHours !== undefined ? { reminderEverySeconds: Math.round(reminderHours * HOUR) } : {}),
    ...(escalationHours !== undefined ? { escalateAfterSeconds: Math.round(escalationHours * HOUR) } : {}),
    ...(defaultAction ? { defaultAction } : {}),
    allowChanges: (chosen(LAUNCH_BLOCK.allowChanges) ?? []).includes('allow'),
  };
}

// Which block of the form a refused field of the launch input belongs to.
const FIELD_BLOCKS: [prefix: string, block: string][] = [
  ['scope.resources', LAUNCH_BLOCK.resources],
  ['scope.entitlements', LAUNCH_BLOCK.entitlements],
  ['scope.riskLevels', LAUNCH_BLOCK.riskLevels],
  ['scope.departments', LAUNCH_BLOCK.departments],
  ['reviewer.person', LAUNCH_BLOCK.reviewerPerson],
  ['reviewer', LAUNCH_BLOCK.reviewerRule],
  ['dueAt', LAUNCH_BLOCK.dueDays],
  ['dueInSeconds', LAUNCH_BLOCK.dueDays],
  ['reminderEverySeconds', LAUNCH_BLOCK.reminderHours],
  ['escalateAfterSeconds', LAUNCH_BLOCK.escalationHours],
  ['defaultAction', LAUNCH_BLOCK.defaultAction],
  ['allowChanges', LAUNCH_BLOCK.allowChanges],
];

/** The modal's `errors` for a refused launch: each message on the block of the field it names. */
function launchErrors(error: GrantflowError): Record<string, string> {
  const fields = (error.details?.fields as { field: string; message: string }[] | undefined) ?? [];
  const errors: Record<string, string> = {};
  for (const { field, message } of fields) {
    const block = FIELD_BLOCKS.find(([prefix]) => field.startsWith(prefix))?.[1] ?? LAUNCH_BLOCK.name;
    // Slack shows one message per block; several problems in one block are joined.
    errors[block] = errors[block] ? `${errors[block]}; ${message}` : message;
  }
  if (Object.keys(errors).length === 0) errors[LAUNCH_BLOCK.name] = error.message;
  return errors;
}

/** Registers the launch modal's submission. */
export function registerCampaignLaunch(app: App, ctx: SlackContext): void {
  app.view(CAMPAIGN_VIEW.launch, async ({ ack, view, body, context }) => {
    const who = { person: personOf(context), slackId: body.user.id };
    // Checked again here: the modal is only opened for admins, but the submission is what acts.
    if (!(await isSlackAdmin(ctx, who))) {
      const text = await refuseNonAdmin(ctx, who, 'launch_campaign', { type: 'campaign', id: 'new' });
      return ack({ response_action: 'errors', errors: { [LAUNCH_BLOCK.name]: text } });
    }
    const input = launchInputOf(view);
    try {
      const launched = await launchCampaign(launchDepsOf(ctx), input, {
        id: who.person.id,
        email: who.person.email,
        name: who.person.name,
      });
      return ack({
        response_action: 'update',
        view: launchedModal({
          campaignId: launched.campaign.id,
          name: launched.campaign.name,
          dueAt: new Date(launched.campaign.dueAt).toISOString(),
          defaultAction: launched.campaign.defaultAction,
          created: launched.created,
        }),
      });
    } catch (error) {
      if (error instanceof GrantflowError && error.status < 500) {
        return ack({ response_action: 'errors', errors: launchErrors(error) });
      }
      ctx.log.error({ err: error, person: who.person.email }, 'launching a campaign from Slack failed');
      return ack({
        response_action: 'errors',
        errors: { [LAUNCH_BLOCK.name]: 'The campaign could not be launched just now. Please try again.' },
      });
    }
  });
}
