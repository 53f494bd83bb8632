// The launch modal submitted by an admin: the form becomes the same launch input the API and CLI
// send, and `launchCampaign` checks it; what it refuses shows on the field it names, and a launched
// campaign turns the modal into its confirmation.
import type { App } from '@slack/bolt';
import { launchCampaign } from '../../../../campaigns/launch.js';
import { GrantflowError } from '../../../../core/errors.js';
import { CAMPAIGN_VIEW, LAUNCH_BLOCK } from '../../../../slack/blocks/ids.js';
import { launchedModal } from '../../../../slack/blocks/launch.js';
import { launchDepsOf } from '../../../deps.js';
import { isSlackAdmin, refuseNonAdmin } from '../../campaign-admin.js';
import { personOf, type SlackContext } from '../../context.js';

type Input = {
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_options?: { value?: string }[] | null;
};
type Values = Record<string, Record<string, Input>>;

const DAY = 86_400;
const HOUR = 3_600;

const list = (text: string | null | undefined, separator: RegExp) =>
  (text ?? '')
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');

const number = (text: string | null | undefined) =>
  text === undefined || text === null || text.trim() === '' ? undefined : Number(text);

/** The launch input (as the API takes it) from the modal's values; empty fields are left out. */
function launchInputOf(values: Values): Record<string, unknown> {
  const input = (block: string): Input => values[block]?.[block] ?? {};
  const chosen = (block: string) =>
    (input(block).selected_options ?? []).map((option) => option.value ?? '').filter((value) => value !== '');
  const resourcesInput = input(LAUNCH_BLOCK.resources);
  // A multi-select on a small catalog, a text field of keys on a large one.
  const resources =
    resourcesInput.selected_options !== undefined
      ? chosen(LAUNCH_BLOCK.resources)
      : list(resourcesInput.value, /[\s,]+/);
  const entitlements = list(input(LAUNCH_BLOCK.entitlements).value, /[\s,]+/);
  const riskLevels = chosen(LAUNCH_BLOCK.riskLevels);
  const departments = list(input(LAUNCH_BLOCK.departments).value, /,/);
  const scope = {
    ...(resources.length > 0 ? { resources } : {}),
    ...(entitlements.length > 0 ? { entitlements } : {}),
    ...(riskLevels.length > 0 ? { riskLevels } : {}),
    ...(departments.length > 0 ? { departments } : {}),
  };
  const rule = input(LAUNCH_BLOCK.reviewerRule).selected_option?.value ?? 'manager';
  const person = input(LAUNCH_BLOCK.reviewerPerson).value?.trim();
  const days = number(input(LAUNCH_BLOCK.dueDays).value);
  const reminderHours = number(input(LAUNCH_BLOCK.reminderHours).value);
  const escalationHours = number(input(LAUNCH_BLOCK.escalationHours).value);
  const defaultAction = input(LAUNCH_BLOCK.defaultAction).selected_option?.value;
  return {
    name: input(LAUNCH_BLOCK.name).value ?? '',
    scope,
    reviewer: { rule, ...(person ? { person } : {}) },
    ...(days !== undefined ? { dueInSeconds: Math.round(days * DAY) } : {}),
    ...(reminderHours !== undefined ? { reminderEverySeconds: Math.round(reminderHours * HOUR) } : {}),
    ...(escalationHours !== undefined ? { escalateAfterSeconds: Math.round(escalationHours * HOUR) } : {}),
    ...(defaultAction ? { defaultAction } : {}),
    allowChanges: chosen(LAUNCH_BLOCK.allowChanges).includes('allow'),
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
    const input = launchInputOf(view.state.values as Values);
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
