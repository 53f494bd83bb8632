// Who a Slack user is in the directory, and who a directory person is in Slack. The directory's
// Slack user id wins; otherwise the email links them (users.info one way, users.lookupByEmail the
// other). Answers are cached for a while: every click and every DM would otherwise ask Slack.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../core/logger.js';
import type { Executor } from '../db/client.js';
import { getPersonByEmail, getPersonBySlackUserId } from '../db/queries/people.js';
import type { Person } from '../db/schema.js';

const CACHE_MS = 10 * 60_000;

/** Maps Slack users to directory people and back. */
export type SlackDirectory = {
  /** The active or inactive person behind a Slack user id; undefined when nobody matches. */
  personFor(slackUserId: string): Promise<Person | undefined>;
  /** The Slack user id of a person by email; undefined when Slack does not know them. */
  slackIdFor(email: string): Promise<string | undefined>;
};

/** A directory over the database and the Slack Web API. */
export function createSlackDirectory(db: Executor, client: WebClient, log: Logger): SlackDirectory {
  const emailBySlackId = new Map<string, { email: string | undefined; at: number }>();
  const slackIdByEmail = new Map<string, { id: string | undefined; at: number }>();
  const fresh = (entry: { at: number } | undefined) => entry && Date.now() - entry.at < CACHE_MS;

  async function emailOf(slackUserId: string): Promise<string | undefined> {
    const cached = emailBySlackId.get(slackUserId);
    if (cached && fresh(cached)) return cached.email;
    let email: string | undefined;
    try {
      const answer = await client.users.info({ user: slackUserId });
      email = answer.user?.profile?.email?.toLowerCase();
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== 'user_not_found') throw error;
    }
    emailBySlackId.set(slackUserId, { email, at: Date.now() });
    return email;
  }

  return {
    async personFor(slackUserId) {
      const linked = await getPersonBySlackUserId(db, slackUserId);
      if (linked) return linked;
      const email = await emailOf(slackUserId);
      if (!email) return undefined;
      const person = await getPersonByEmail(db, email);
      // Someone else's Slack id on this person means the email match is not them.
      if (!person || (person.slackUserId && person.slackUserId !== slackUserId)) return undefined;
      return person;
    },
    async slackIdFor(email) {
      const person = await getPersonByEmail(db, email);
      if (person?.slackUserId) return person.slackUserId;
      const cached = slackIdByEmail.get(email);
      if (cached && fresh(cached)) return cached.id;
      let id: string | undefined;
      try {
        id = (await client.users.lookupByEmail({ email })).user?.id;
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error !== 'users_not_found') throw error;
        log.warn({ email }, 'no Slack user has this email: they get no Slack messages');
      }
      slackIdByEmail.set(email, { id, at: Date.now() });
      return id;
    },
  };
}
