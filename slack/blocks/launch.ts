// The admin's campaign launch modal (scope, reviewers, due date, default action) and the
// confirmation it turns into once the campaign is launched.
import type { InputBlock, Option, PlainTextOption } from '@slack/types';
import { RISK_LEVELS } from '../../domain/index.js';
import { CAMPAIGN_VIEW, LAUNCH_BLOCK } from './ids.js';
import {
  context,
  dateText,
  esc,
  fieldsSection,
  LIMIT,
  type ModalView,
  NAME_MAX,
  plain,
  section,
  truncate,
} from './kit.js';

/** A resource the launch modal offers in its multi-select. */
export type LaunchResourceOption = { key: string; name: string };

/** What the launch confirmation shows. */
export type LaunchedCampaign = {
  campaignId: string;
  name: string;
  /** ISO 8601. */
  dueAt: string;
  defaultAction: string;
  /** False when a campaign for the same period existed already. */
  created: boolean;
};

function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, LIMIT.optionText), value };
}

function textInput(
  blockId: string,
  label: string,
  options: { optional?: boolean; placeholder?: string; hint?: string; maxLength?: number } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: plain(label, 2000),
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: blockId,
      max_length: options.maxLength ?? 2000,
      ...(options.placeholder ? { placeholder: plain(options.placeholder, 150) } : {}),
    },
  };
}

function numberInput(blockId: string, label: string, initial: number, hint: string): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    hint: plain(hint, 2000),
    element: {
      type: 'number_input',
      action_id: blockId,
      is_decimal_allowed: false,
      initial_value: String(initial),
      min_value: '1',
    },
  };
}

const REVIEWER_RULES: [value: string, text: string][] = [
  ['manager', "The holder's manager (default)"],
  ['resource_owner', "The resource's owner"],
  ['person', 'One named person (email below)'],
];

const DEFAULT_ACTIONS: [value: string, text: string][] = [
  ['revoke', 'Revoke: unanswered access is removed'],
  ['keep', 'Keep: unanswered access stays'],
  ['escalate', "Escalate: to the reviewer's manager, one more round"],
];

/**
 * The admin's launch form. Resources are a multi-select when the catalog has 1 to 100 of them
 * (Slack's limit on options), else a text field of keys.
 */
export function launchModal(options: { resources: LaunchResourceOption[] }): ModalView {
  const usable = options.resources.filter((resource) => resource.key.length <= LIMIT.optionValue);
  const resources: InputBlock =
    usable.length > 0 && usable.length <= LIMIT.options && usable.length === options.resources.length
      ? {
          type: 'input',
          block_id: LAUNCH_BLOCK.resources,
          optional: true,
          label: plain('Resources', 2000),
          hint: plain('Leave empty with no entitlements either to review every resource.', 2000),
          element: {
            type: 'multi_static_select',
            action_id: LAUNCH_BLOCK.resources,
            placeholder: plain('Choose resources', 150),
            options: usable.map((resource) =>
              option(`${truncate(resource.name, 50)} (${truncate(resource.key, 20)})`, resource.key),
            ),
          },
        }
      : textInput(LAUNCH_BLOCK.resources, 'Resources', {
          optional: true,
          placeholder: 'Resource keys, comma separated: db, crm',
          hint: 'Leave empty with no entitlements either to review every resource.',
        });
  const riskOptions: Option[] = RISK_LEVELS.map((risk) => option(risk, risk));
  return {
    type: 'modal',
    callback_id: CAMPAIGN_VIEW.launch,
    title: plain('Launch a campaign', LIMIT.modalTitle),
    submit: plain('Launch', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    blocks: [
      textInput(LAUNCH_BLOCK.name, 'Name', { placeholder: 'Q4 access review', maxLength: 200 }),
      resources,
      textInput(LAUNCH_BLOCK.entitlements, 'Entitlements', {
        optional: true,
        placeholder: 'resource/entitlement keys, comma separated: db/admin, crm/export',
      }),
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.riskLevels,
        optional: true,
        label: plain('Risk levels', 2000),
        hint: plain('None ticked: every risk level.', 2000),
        element: { type: 'checkboxes', action_id: LAUNCH_BLOCK.riskLevels, options: riskOptions },
      },
      textInput(LAUNCH_BLOCK.departments, 'Departments', {
        optional: true,
        placeholder: 'Department names, comma separated',
      }),
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.reviewerRule,
        label: plain('Who reviews each grant', 2000),
        element: {
          type: 'radio_buttons',
          action_id: LAUNCH_BLOCK.reviewerRule,
          initial_option: option(REVIEWER_RULES[0]?.[1] ?? '', REVIEWER_RULES[0]?.[0] ?? ''),
          options: REVIEWER_RULES.map(([value, text]) => option(text, value)),
        },
      },
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.reviewerPerson,
        optional: true,
        label: plain('Reviewer email (named person only)', 2000),
        element: {
          type: 'email_text_input',
          action_id: LAUNCH_BLOCK.reviewerPerson,
          placeholder: plain('reviewer@example.com', 150),
        },
      },
      numberInput(LAUNCH_BLOCK.dueDays, 'Due in (days)', 14, 'Unanswered items get the default action then.'),
      numberInput(
        LAUNCH_BLOCK.reminderHours,
        'Remind every (hours)',
        48,
        'Reviewers with open items are reminded.',
      ),
      numberInput(
        LAUNCH_BLOCK.escalationHours,
        'Escalate after (hours)',
        120,
        "A reviewer's open items then go to their manager.",
      ),
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.defaultAction,
        label: plain('Unanswered at the due date', 2000),
        // No initial option: keeping or revoking unanswered access is chosen on purpose.
        element: {
          type: 'radio_buttons',
          action_id: LAUNCH_BLOCK.defaultAction,
          options: DEFAULT_ACTIONS.map(([value, text]) => option(text, value)),
        },
      },
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.allowChanges,
        optional: true,
        label: plain('Changes', 2000),
        element: {
          type: 'checkboxes',
          action_id: LAUNCH_BLOCK.allowChanges,
          options: [option('Reviewers may change a decision until the due date', 'allow')],
        },
      },
    ],
  };
}

/** What the launch modal turns into once the campaign is launched. */
export function launchedModal(campaign: LaunchedCampaign): ModalView {
  const what = campaign.created ? 'Launched' : 'Already launched for this period';
  return {
    type: 'modal',
    callback_id: CAMPAIGN_VIEW.launched,
    title: plain('Campaign launched', LIMIT.modalTitle),
    close: plain('Close', LIMIT.modalTitle),
    blocks: [
      section(`:rocket: ${what}: *${esc(campaign.name, NAME_MAX)}*`),
      fieldsSection([
        ['Campaign', `\`${esc(campaign.campaignId, NAME_MAX)}\``],
        ['Due', dateText(campaign.dueAt)],
        ['Unanswered items', esc(campaign.defaultAction, NAME_MAX)],
      ]),
      context(
        'Reviewers get a digest once the population is snapshotted. ' +
          `Sign off later with \`/access campaign signoff ${esc(campaign.campaignId, NAME_MAX)}\`.`,
      ),
    ],
  };
}
