import type { Command } from 'commander';
import { type ApiOptions, connectApi, withApiOptions } from '../api-client.js';
import { formatFields, formatTime, printJson, printList } from '../format.js';

/** A grant as the API returns it (GET /api/v1/grants/:id). */
export type GrantBody = {
  id: string;
  holder: string;
  resource: string;
  entitlement: string;
  entitlementName: string;
  status: 'active' | 'expired' | 'released' | 'revoked';
  requestId: string | null;
  source: 'request' | 'import' | 'reconciliation' | 'birthright';
  grantedAt: string;
  expiresAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  provisionVerified: boolean | null;
  removalVerified: boolean | null;
};

/** A grant's running state, as extend, release and revoke answer it. */
export type GrantState = {
  grantId: string;
  status: 'active' | 'ending' | 'expired' | 'released' | 'revoked';
  expiresAt: string | null;
};

/** When a grant ends, in words: a time, or "no end date" for standing access. */
function until(expiresAt: string | null): string {
  return expiresAt === null ? 'no end date' : formatTime(expiresAt);
}

/** One line about a grant after a change: its status and, while it lasts, when it ends. */
export function describeGrantState(state: GrantState): string {
  if (state.status === 'active')
    return `Grant ${state.grantId} is active ${state.expiresAt === null ? 'with no end date' : `until ${formatTime(state.expiresAt)}`}.\n`;
  if (state.status === 'ending') return `Grant ${state.grantId} is ending: the access is being removed.\n`;
  return `Grant ${state.grantId} is ${state.status}.\n`;
}

function provisioning(grant: GrantBody): string | undefined {
  if (grant.source === 'import') return 'imported (held before grantflow)';
  if (grant.provisionVerified === null) return 'not read back (the target cannot tell)';
  return grant.provisionVerified ? 'verified at the target' : 'NOT verified: the target did not show it';
}

function removal(grant: GrantBody): string | undefined {
  if (grant.status === 'active') return undefined;
  if (grant.removalVerified === null) return 'not read back (the target cannot tell)';
  return grant.removalVerified ? 'verified at the target' : 'NOT verified: the target still shows it';
}

/** `grantflow grants list|show|revoke`: what people hold now and held before. */
export function registerGrantsCommands(program: Command): void {
  const grants = program.command('grants').description('Grants: who holds what, until when');

  withApiOptions(
    grants
      .command('list')
      .description("Grants, newest first (yours; admins and auditors see everyone's)")
      .option('--status <status>', 'active | expired | released | revoked')
      .option('--limit <n>', 'most grants to list (1 to 500)', '50')
      .option('--json', 'the grants as JSON'),
  ).action(async (options: ApiOptions & { status?: string; limit: string; json?: boolean }) => {
    const { items } = await connectApi(options).get<{ items: GrantBody[] }>('/grants', {
      query: { status: options.status, limit: options.limit },
      flags: { status: '--status', limit: '--limit' },
    });
    printList(items, {
      json: options.json,
      empty: 'No grants.',
      columns: [
        ['ID', (g) => g.id],
        ['STATUS', (g) => g.status],
        ['HOLDER', (g) => g.holder],
        ['ENTITLEMENT', (g) => `${g.resource}/${g.entitlement}`],
        ['GRANTED', (g) => formatTime(g.grantedAt)],
        ['EXPIRES', (g) => until(g.expiresAt)],
      ],
    });
  });

  withApiOptions(
    grants
      .command('show')
      .description('One grant')
      .argument('<id>', 'grant id')
      .option('--json', 'the grant as JSON'),
  ).action(async (id: string, options: ApiOptions & { json?: boolean }) => {
    const grant = await connectApi(options).get<GrantBody>(`/grants/${encodeURIComponent(id)}`);
    if (options.json) return printJson(grant);
    process.stdout.write(`Grant ${grant.id}  ${grant.status}\n`);
    process.stdout.write(
      formatFields([
        ['entitlement', `${grant.resource}/${grant.entitlement} (${grant.entitlementName})`],
        ['holder', grant.holder],
        ['granted', formatTime(grant.grantedAt)],
        ['expires', until(grant.expiresAt)],
        ['provisioned', provisioning(grant)],
        ['ended', grant.endedAt && formatTime(grant.endedAt)],
        ['why ended', grant.endReason],
        ['removal', removal(grant)],
        ['request', grant.requestId],
      ]),
    );
  });

  withApiOptions(
    grants
      .command('revoke')
      .description('Take the access away now (admins); the reason is recorded')
      .argument('<id>', 'grant id')
      .requiredOption('--reason <text>', 'why, for the holder and the audit ledger')
      .option('--json', 'the grant state as JSON'),
  ).action(async (id: string, options: ApiOptions & { reason: string; json?: boolean }) => {
    const state = await connectApi(options).post<GrantState>(`/grants/${encodeURIComponent(id)}/revoke`, {
      body: { reason: options.reason },
      flags: { reason: '--reason' },
    });
    if (options.json) return printJson(state);
    process.stdout.write(describeGrantState(state));
  });
}
