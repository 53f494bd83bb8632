// The stack the authorization matrix and the REST fuzzer run on: the request stack with Slack on
// (so /slack/events is registered), a token per caller of the table, and the records the table's
// calls name: each employee's open request and grant, a campaign, a finding, an evidence pack, a
// log review, a ledger event under a sealed checkpoint, SCIM connections and their people.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { waitUntil } from '../../core/net.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { findings } from '../../db/schema.js';
import { bearer, personWithToken } from './api.js';
import { CAMPAIGN_LAUNCH, type Call, type Caller, type Objects, scimUser } from './authorization-table.js';
import { connectionToken, GROUP } from './scim.js';
import type { TestDatabase } from './services.js';
import { type SlackStack, startSlackStack } from './slack-stack.js';

/** The running fixture. */
export type AuthorizationFixture = {
  slack: SlackStack;
  /** A token per caller; `none` has none. */
  tokens: Partial<Record<Caller, string>>;
  objects: Objects;
  /** Makes `call` as `method` with `token` as the bearer (none: no Authorization header). */
  send(method: string, call: Omit<Call, 'method'>, token?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
};

/** Starts the stack on `database` and makes the records. */
export async function startAuthorizationFixture(database: TestDatabase): Promise<AuthorizationFixture> {
  const slack = await startSlackStack(database);
  const { stack } = slack;
  const { cast } = stack;
  const db = database.runtime.db;
  const app = stack.api.app;

  const send = (method: string, call: Omit<Call, 'method'>, token?: string) => {
    const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
    const contentType = call.url.startsWith('/scim/') ? 'application/scim+json' : 'application/json';
    return app.inject({
      method: method as 'GET',
      url: `${call.url}${query}`,
      headers: {
        ...(token ? bearer(token) : {}),
        ...(call.body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(call.body === undefined ? {} : { payload: JSON.stringify(call.body) }),
    });
  };
  const post = async (url: string, body: unknown, token: string | undefined) => {
    const response = await send('POST', { url, body }, token);
    expect([200, 201, 202], `${url}: ${response.body}`).toContain(response.statusCode);
    return response.json();
  };

  const admin = stack.token(cast.admin);
  const tokens: AuthorizationFixture['tokens'] = {
    admin,
    employee: stack.token(cast.dev),
    auditor: (await personWithToken(db, { email: `auditor.${cast.dev}` }, 'auditor')).token,
    scim: await connectionToken(app, admin, 'matrix-idp'),
  };
  await connectionToken(app, admin, 'matrix-spare');
  const otherIdp = await connectionToken(app, admin, 'matrix-other-idp');

  const personId = async (email: string) => (await getPersonByEmail(db, email))?.id as string;
  const openRequest = async (token: string | undefined) =>
    (await post('/api/v1/requests', { resource: 'db', entitlement: 'read', durationSeconds: 3_600 }, token))
      .id as string;
  /** The grant `email` holds of `entitlement`, once provisioned. */
  const grantOf = async (email: string, entitlement: string) => {
    let id: string | undefined;
    await waitUntil(
      async () => {
        const listed = await send('GET', { url: '/api/v1/grants', query: { holder: email } }, admin);
        id = listed.json().items.find((g: { entitlement: string }) => g.entitlement === entitlement)?.id;
        return id !== undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    return id as string;
  };
  const lowAccess = { resource: 'db', entitlement: 'low', durationSeconds: 3_600 };
  await post('/api/v1/requests', lowAccess, stack.token(cast.dev));
  await post('/api/v1/requests', lowAccess, stack.token(cast.dev2));

  const [finding] = await database.owner.db
    .insert(findings)
    .values({ kind: 'unknown_account', fingerprint: 'authorization-matrix', account: 'matrix' })
    .returning({ id: findings.id });
  // The stack's worker runs no sequencer loop: sequence now, so the ledger has an event to prove.
  await sequenceAll(database.runtime.sql);
  const [event] = await database.owner.sql<{ id: string }[]>`
    select event_id as id from audit_ledger order by seq limit 1`;

  const objects: Objects = {
    person: { own: await personId(cast.dev), other: await personId(cast.dev2) },
    email: { own: cast.dev, other: cast.dev2 },
    request: { own: await openRequest(tokens.employee), other: await openRequest(stack.token(cast.dev2)) },
    grant: { own: await grantOf(cast.dev, 'low'), other: await grantOf(cast.dev2, 'low') },
    campaign: (await post('/api/v1/campaigns', CAMPAIGN_LAUNCH, admin)).campaignId,
    finding: finding?.id as string,
    evidencePack: (
      await post('/api/v1/evidence/packs', { framework: 'soc2', period: '2026-Q4' }, tokens.auditor)
    ).id,
    logReview: (await post('/api/v1/log-reviews', {}, admin)).id,
    auditEvent: event?.id as string,
    spareScimConnection: 'matrix-spare',
    scimUser: {
      own: (await post('/scim/v2/Users', scimUser('matrix.scim'), tokens.scim)).id,
      other: (await post('/scim/v2/Users', scimUser('matrix.other'), otherIdp)).id,
    },
    scimGroup: (await post('/scim/v2/Groups', { schemas: [GROUP], displayName: 'matrix' }, tokens.scim)).id,
  };
  // The stack runs no checkpoint schedule: seal one, so the ledger event has a proof.
  await sealCheckpoint(database.runtime.sql, stack.api.ledger.keys, {
    origin: 'test.grantflow/audit',
    exportDir: stack.api.ledger.exportDir,
  });
  return { slack, tokens, objects, send, close: () => slack.close() };
}
