// The example's `webhook` resources, made real for `grantflow dev`: one local receiver that
// implements the contract of connectors/webhook.ts (signed POSTs, `Idempotency-Key`, `check` for
// read-back, `list` for reconciliation) and keeps who holds what in the data directory. The worker
// reaches it through each resource's own `urlEnv` variable; one the user has set always wins, as with
// the demo databases.
// Access imported from the directory file is held from the start, since the file says the target
// already holds it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  verifyWebhookSignature,
  WEBHOOK_HEADERS,
  type WebhookListAnswer,
  type WebhookListPayload,
  type WebhookPayload,
} from '../connectors/index.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/client.js';
import { listActiveGrantsOfResource } from '../db/queries/grants.js';
import { listAllResources } from '../db/queries/resources.js';

/** The receiver's memberships and the calls it has applied, in the data directory. */
const DEMO_WEBHOOKS_FILE = 'demo-webhooks.json';
/** The signing secrets it generated, one per secret variable (mode 0600). */
const DEMO_WEBHOOK_SECRETS_FILE = 'demo-webhook-secrets.json';

/** A running receiver: banner lines, its base URL (unset when it serves nothing) and how to stop it. */
export type DemoWebhookReceiver = { lines: string[]; url: string | undefined; close(): Promise<void> };

/** What the file holds: per resource, each person's entitlements and the applied idempotency keys. */
type ReceiverState = {
  /** The port of the last run, tried first so the URLs stay the same across restarts. */
  port?: number;
  memberships: Record<string, Record<string, string[]>>;
  applied: Record<string, Record<string, string>>;
};

type WebhookConfig = { url?: string; urlEnv?: string; secretEnv?: string; readBack?: boolean };
type Served = { key: string; secret: string; urlEnv: string; secretEnv: string; setSecret: boolean };

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Serves every active `webhook` resource whose `urlEnv` variable is not set at
 * `http://127.0.0.1:<port>/hooks/<resource key>`, and sets that variable (and the secret variable,
 * unless set) in `env`. `close()` stops it and unsets what it set.
 */
export async function startDemoWebhookReceiver(
  db: Database,
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
  dataDir: string,
  log: Logger,
): Promise<DemoWebhookReceiver> {
  const resources = (await listAllResources(db)).filter(
    (r) => r.status === 'active' && r.connectorKind === 'webhook',
  );
  const lines: string[] = [];
  const served: Served[] = [];
  const claimed = new Map<string, string>();
  const secrets = loadSecrets(dataDir);
  for (const resource of resources) {
    const config = resource.connectorConfig as WebhookConfig;
    const { urlEnv, secretEnv } = config;
    if (!urlEnv || !secretEnv) {
      lines.push(
        `${resource.key}: posts to ${config.url} (add urlEnv to its connector to use the demo receiver)`,
      );
    } else if (claimed.has(urlEnv)) {
      lines.push(`${resource.key}: ${urlEnv} is already the URL of ${claimed.get(urlEnv)}; not served`);
    } else if (env[urlEnv]) {
      lines.push(`${resource.key}: ${urlEnv} from your environment`);
    } else {
      // A secret the user set is the one the connector signs with, so the receiver checks with it too.
      const own = env[secretEnv];
      if (!own) secrets[secretEnv] ??= randomBytes(24).toString('base64url');
      const secret = own || (secrets[secretEnv] as string);
      served.push({ key: resource.key, secret, urlEnv, secretEnv, setSecret: !own });
      claimed.set(urlEnv, resource.key);
      if (!config.readBack)
        lines.push(`${resource.key}: no readBack in its connector, so grants are not verified`);
    }
  }
  if (served.length === 0) return { lines, url: undefined, close: async () => {} };
  saveSecrets(dataDir, secrets);

  const stateFile = path.join(dataDir, DEMO_WEBHOOKS_FILE);
  const state = loadState(stateFile);
  let seeded = 0;
  for (const { key } of served) {
    for (const grant of await listActiveGrantsOfResource(db, key)) {
      if (grant.source !== 'import' || state.applied[key]?.[`${grant.id}:revoke`]) continue;
      if (setMembership(state, key, grant.holderEmail, grant.entitlementKey, true)) seeded += 1;
    }
  }
  saveState(stateFile, state);

  const byKey = new Map(served.map((s) => [s.key, s]));
  const server = http.createServer((request, response) => {
    void handle(request, byKey, state, () => saveState(stateFile, state), log)
      .catch((error: unknown) => {
        log.error({ err: error }, 'demo webhook receiver: request failed');
        return reply(500, { error: 'internal_error' });
      })
      .then(({ status, body }) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(body));
      });
  });
  const port = await listen(server, state.port);
  const base = `http://127.0.0.1:${port}`;
  const set: Record<string, string> = {};
  for (const s of served) {
    set[s.urlEnv] = `${base}/hooks/${encodeURIComponent(s.key)}`;
    if (s.setSecret) set[s.secretEnv] = s.secret;
  }
  try {
    state.port = port;
    saveState(stateFile, state);
    writeEnvFile(dataDir, set);
  } catch (error) {
    server.close();
    throw error;
  }
  Object.assign(env, set);

  const held = served.reduce(
    (sum, { key }) => sum + Object.values(state.memberships[key] ?? {}).flat().length,
    0,
  );
  lines.unshift(
    `webhook receiver on ${base} for ${served.map((s) => s.key).join(', ')} (${held} memberships held${seeded ? `, ${seeded} imported now` : ''})`,
  );
  log.debug({ url: base, resources: [...byKey.keys()] }, 'demo webhook receiver ready');
  return {
    lines,
    url: base,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Nothing answers at these URLs any more: take back only what is still ours.
      for (const [name, value] of Object.entries(set)) if (env[name] === value) delete env[name];
    },
  };
}

type Reply = { status: number; body: Record<string, unknown> };
const reply = (status: number, body: Record<string, unknown>): Reply => ({ status, body });

async function handle(
  request: http.IncomingMessage,
  served: Map<string, Served>,
  state: ReceiverState,
  persist: () => void,
  log: Logger,
): Promise<Reply> {
  const match = /^\/hooks\/([^/?]+)$/.exec((request.url ?? '').split('?')[0] as string);
  const resource = match && served.get(decodeURIComponent(match[1] as string));
  if (!resource) return reply(404, { error: 'not_found', message: 'POST to /hooks/<resource key>' });
  if (request.method !== 'POST') return reply(405, { error: 'method_not_allowed' });
  const body = await readBody(request);
  if (body === undefined) return reply(413, { error: 'body_too_large' });

  const header = (name: string) => {
    const value = request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const verdict = verifyWebhookSignature({
    secret: resource.secret,
    timestamp: header(WEBHOOK_HEADERS.timestamp),
    signature: header(WEBHOOK_HEADERS.signature),
    body,
  });
  if (!verdict.valid) {
    log.warn({ resource: resource.key, reason: verdict.reason }, 'demo webhook receiver: refused a call');
    return reply(401, { error: 'invalid_signature', reason: verdict.reason });
  }

  const listing = parseListPayload(body);
  if (listing) {
    if (listing.resource !== resource.key) {
      return reply(400, { error: 'wrong_resource', message: `this endpoint serves ${resource.key}` });
    }
    const after = decodeCursor(listing.cursor);
    if (after === null)
      return reply(400, { error: 'bad_cursor', message: 'not a cursor this receiver made' });
    return reply(200, listPage(state.memberships[resource.key] ?? {}, listing, after));
  }
  const payload = parsePayload(body);
  if (!payload) return reply(400, { error: 'malformed_payload', message: 'not a grantflow WebhookPayload' });
  if (payload.resource !== resource.key) {
    return reply(400, { error: 'wrong_resource', message: `this endpoint serves ${resource.key}` });
  }
  const { email } = payload.person;
  const held = state.memberships[resource.key]?.[email]?.includes(payload.entitlement) ?? false;
  if (payload.action === 'check') return reply(200, { present: held });

  const key = header(WEBHOOK_HEADERS.idempotencyKey);
  if (!key) return reply(400, { error: 'missing_idempotency_key' });
  // A key seen before is answered again without applying it twice (a retry whose answer was lost).
  const applied = state.applied[resource.key] ?? {};
  state.applied[resource.key] = applied;
  if (applied[key]) return reply(200, { ok: true, duplicate: true });
  setMembership(state, resource.key, email, payload.entitlement, payload.action === 'grant');
  applied[key] = new Date().toISOString();
  // On disk before the 2xx: an answered call is never forgotten by a restart.
  persist();
  log.info(
    { resource: resource.key, entitlement: payload.entitlement, person: email },
    `demo webhook receiver: ${payload.action} applied`,
  );
  return reply(200, { ok: true });
}

function parsePayload(body: Buffer): WebhookPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const p = value as Partial<WebhookPayload> | null;
  const text = (v: unknown) => typeof v === 'string' && v !== '';
  const valid =
    typeof p === 'object' &&
    p !== null &&
    (p.action === 'grant' || p.action === 'revoke' || p.action === 'check') &&
    text(p.grantId) &&
    text(p.resource) &&
    text(p.entitlement) &&
    typeof p.person === 'object' &&
    p.person !== null &&
    text(p.person.email);
  return valid ? (p as WebhookPayload) : undefined;
}

function parseListPayload(body: Buffer): WebhookListPayload | undefined {
  try {
    const p = JSON.parse(body.toString('utf8')) as Partial<WebhookListPayload> | null;
    const valid =
      p?.action === 'list' &&
      typeof p.resource === 'string' &&
      Array.isArray(p.entitlements) &&
      p.entitlements.every((e) => typeof e?.entitlementKey === 'string') &&
      Number.isSafeInteger(p.limit) &&
      (p.limit as number) > 0 &&
      (p.cursor === undefined || typeof p.cursor === 'string');
    return valid ? (p as WebhookListPayload) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One page of who holds the asked-for entitlements, ordered by entitlement then email; the cursor
 * is the last pair handed out, so a membership changing between pages skips or repeats no one.
 */
function listPage(
  people: Record<string, string[]>,
  listing: WebhookListPayload,
  after: [string, string] | undefined,
): WebhookListAnswer {
  const asked = new Set(listing.entitlements.map((e) => e.entitlementKey));
  const pairs = Object.entries(people)
    .flatMap(([email, held]) => held.filter((e) => asked.has(e)).map((e) => [e, email] as const))
    .sort(([e1, a1], [e2, a2]) => (e1 === e2 ? (a1 < a2 ? -1 : a1 > a2 ? 1 : 0) : e1 < e2 ? -1 : 1));
  const rest = after ? pairs.filter(([e, a]) => e > after[0] || (e === after[0] && a > after[1])) : pairs;
  const page = rest.slice(0, listing.limit);
  const last = page.at(-1);
  return {
    holdings: page.map(([entitlementKey, account]) => ({ entitlementKey, account })),
    ...(rest.length > page.length && last
      ? { nextCursor: Buffer.from(JSON.stringify(last)).toString('base64url') }
      : {}),
  };
}

/** The (entitlement, email) pair a cursor continues after; undefined for none, null for a bad one. */
function decodeCursor(cursor: string | undefined): [string, string] | undefined | null {
  if (cursor === undefined) return undefined;
  try {
    const pair = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(pair) && pair.length === 2 && pair.every((p) => typeof p === 'string')
      ? (pair as [string, string])
      : null;
  } catch {
    return null;
  }
}

/** Adds or removes one membership; true when that changed anything. */
function setMembership(
  state: ReceiverState,
  resource: string,
  email: string,
  entitlement: string,
  present: boolean,
): boolean {
  const people = state.memberships[resource] ?? {};
  state.memberships[resource] = people;
  const held = people[email] ?? [];
  if (held.includes(entitlement) === present) return false;
  const next = present ? [...held, entitlement].sort() : held.filter((e) => e !== entitlement);
  if (next.length === 0) delete people[email];
  else people[email] = next;
  return true;
}

function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Listens on the last run's port when it is free, otherwise on any free one. */
async function listen(server: http.Server, preferred: number | undefined): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1' }, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  if (preferred) {
    try {
      return await attempt(preferred);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  return attempt(0);
}

function loadState(file: string): ReceiverState {
  if (!existsSync(file)) return { memberships: {}, applied: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ReceiverState>;
    return { ...parsed, memberships: parsed.memberships ?? {}, applied: parsed.applied ?? {} };
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); delete it to start over`);
  }
}

function saveState(file: string, state: ReceiverState): void {
  writeAtomically(file, `${JSON.stringify(state, null, 2)}\n`, 0o644);
}

/** Generated once per data directory and variable, kept beside the other dev secrets. */
function loadSecrets(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, DEMO_WEBHOOK_SECRETS_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

function saveSecrets(dataDir: string, secrets: Record<string, string>): void {
  writeAtomically(
    path.join(dataDir, DEMO_WEBHOOK_SECRETS_FILE),
    `${JSON.stringify(secrets, null, 2)}\n`,
    0o600,
  );
}

/**
 * Adds the receiver's variables to `<dataDir>/demo-targets.env` (written by the demo databases just
 * before), for a worker started on its own (`node --env-file`) while `grantflow dev` runs.
 */
function writeEnvFile(dataDir: string, set: Record<string, string>): void {
  const file = path.join(dataDir, 'demo-targets.env');
  const kept = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '' && !Object.hasOwn(set, line.split('=')[0] ?? ''))
    : [];
  const lines = [...kept, ...Object.entries(set).map(([name, value]) => `${name}=${value}`)];
  writeAtomically(file, `${lines.join('\n')}\n`, 0o600);
}

// A crash mid-write leaves the old file or the new one, never half of one.
function writeAtomically(file: string, text: string, mode: number): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  renameSync(temp, file);
}
