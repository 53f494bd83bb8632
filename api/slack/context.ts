// What every Slack listener may use, and the few steps they share: who clicked, and telling them
// privately when something was refused.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { recordAudit } from '../../audit/intake.js';
import { GrantflowError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Person } from '../../db/schema.js';
import type { SubmitDeps } from '../../requests/submit.js';
import type { AlertPoster } from '../../slack/alerts.js';
import { LIMIT, truncate } from '../../slack/blocks/kit.js';
import type { SlackDirectory } from '../../slack/identity.js';
import type { ActorInput } from '../../workflows/messages.js';
import type { ApiDeps } from '../deps.js';

/** Listeners' dependencies: the API's, plus the Slack directory and alert channel. */
export type SlackContext = ApiDeps & {
  directory: SlackDirectory;
  alert: AlertPoster;
  log: Logger;
  submit: SubmitDeps;
};

/** The `source` of every event a Slack listener records. */
export const SLACK_SOURCE = { service: 'grantflow-slack' } as const;

/** What people outside the directory are told; nothing else happens. */
export const NOT_IN_DIRECTORY =
  "grantflow doesn't know you yet: your Slack account matches nobody in the directory. Ask an admin to add your Slack user id or email.";

/** The directory person Bolt's middleware found for this Slack user (see `mapPerson`). */
export function personOf(context: AllMiddlewareArgs['context']): Person {
  const person = context.person as Person | undefined;
  if (!person) throw new Error('mapPerson middleware did not run');
  return person;
}

/** The person as a workflow update's actor: never an admin through Slack, always with their Slack id. */
export function slackActor(person: Person, slackId: string, reason?: string): ActorInput {
  return { by: person.email, asAdmin: false, slackId, ...(reason ? { reason } : {}) };
}

/** The ledger's actor for a person acting in Slack. */
export function slackAuditActor(person: Person, slackId: string) {
  return { type: 'person', id: person.email, email: person.email, slack_id: slackId } as const;
}

/**
 * A value from a Slack payload (an id, a trigger id) made fit to quote in a message or the ledger:
 * never empty, and cut to `max` characters, so a forged megabyte of "id" cannot make the refusal
 * itself fail (the ledger bounds ids at 512 characters, Slack bounds messages).
 */
export function quoted(value: string, max = 64): string {
  return value === '' ? '(none)' : truncate(value, max);
}

/** Records a refused request or grant action (not a decision: `decideRequest` records those). */
export async function recordRefusedAction(
  ctx: SlackContext,
  refusal: {
    person: Person;
    slackId: string;
    action: string;
    reason: string;
    target: { type: string; id: string };
    actionId: string;
  },
): Promise<void> {
  await recordAudit(
    ctx.db,
    {
      event_type: 'access.action.refused',
      actor: slackAuditActor(refusal.person, refusal.slackId),
      target: { type: refusal.target.type, id: quoted(refusal.target.id, 512) },
      action: refusal.action,
      result: 'denied',
      reason: quoted(refusal.reason, 10_000),
      correlation: {
        ...(refusal.target.type === 'grant'
          ? { grant_id: quoted(refusal.target.id, 512) }
          : { request_id: quoted(refusal.target.id, 512) }),
        slack_action_id: quoted(refusal.actionId, 512),
      },
    },
    { source: SLACK_SOURCE },
  );
}

/** Tells one person something only they see, in the channel they clicked in (their DM with the app). */
export async function tellPrivately(
  client: WebClient,
  channel: string | undefined,
  user: string,
  text: string,
) {
  // The text may quote what the payload said: bounded, so Slack takes it.
  await client.chat.postEphemeral({
    channel: channel ?? user,
    user,
    text: truncate(text, LIMIT.sectionText),
  });
}

/** True for what a person did wrong or too late (refused, not found, invalid): told, not thrown. */
export function isRefused(error: unknown): error is GrantflowError {
  return error instanceof GrantflowError && error.status < 500;
}
