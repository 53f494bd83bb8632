import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { formatDuration, parseDuration } from '../../domain/index.js';
import { type ApiClient, ApiError, type ApiOptions, connectApi, withApiOptions } from '../api-client.js';
import { formatFields, formatTable, formatTime, printJson, printList } from '../format.js';
import { describeGrantState, type GrantState } from './grants.js';

/** A request as the API returns it (POST and GET /api/v1/requests). */
type RequestBody = {
  id: string;
  status: string;
  requester: string;
  submittedBy: string;
  resource: string;
  entitlement: string;
  entitlementName: string;
  durationSeconds: number;
  reason: string | null;
  plan: string | null;
  currentStep: number | null;
  outcome: string | null;
  grantId: string | null;
  createdAt: string;
  closedAt: string | null;
};

/** A running request's state, as its workflow reports it. */
type RequestState = {
  requestId: string;
  status: string;
  currentStep?: number;
  steps: { index: number; eligible: string[]; required: number; approvedBy: string[]; escalated: boolean }[];
  grantId?: string;
  outcome?: string;
};

/** GET /api/v1/requests/:id: the request, its decisions and, while it runs, its live state. */
type RequestDetail = RequestBody & {
  decisions: { step: number; approver: string; decision: string; at: string }[];
  live: RequestState | null;
};

/** How long `request create` waits for the workflow to work out the plan it prints. */
const PLAN_WAIT_MS = 5_000;

const byId = (id: string) => `/requests/${encodeURIComponent(id)}`;
const grantById = (id: string) => `/grants/${encodeURIComponent(id)}`;

/** The grant an id names: itself, or the grant of the request with that id. */
async function grantIdOf(api: ApiClient, id: string): Promise<string> {
  try {
    const found = await api.get<RequestDetail>(byId(id));
    return found.grantId ?? id;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return id;
    throw error;
  }
}

/** Parses a duration flag here, so a typo is refused before anything is sent. */
function durationFlag(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new ValidationError(`${flag}: ${(error as Error).message}`);
  }
}

/** The request once its plan is known (or it moved on), else as it was filed. */
async function withPlan(api: ApiClient, created: RequestBody): Promise<RequestBody> {
  const deadline = Date.now() + PLAN_WAIT_MS;
  let latest = created;
  while (latest.plan === null && latest.status === 'pending' && Date.now() < deadline) {
    await sleep(200);
    // The request is filed already: failing to read it back must not fail the command.
    latest = await api.get<RequestDetail>(byId(created.id)).catch(() => latest);
  }
  return latest;
}

/** What happens next for a request in this state, in one sentence. */
function nextStep(state: RequestState): string {
  const step = state.currentStep === undefined ? undefined : state.steps[state.currentStep];
  if (state.status === 'pending_approval' && step) {
    return (
      `waiting on step ${step.index + 1}: ${step.approvedBy.length} of ${step.required} ` +
      `approval${step.required === 1 ? '' : 's'} from ${step.eligible.join(', ')}`
    );
  }
  // The last approval answers before the workflow has moved on to provisioning.
  if (state.status === 'pending_approval') return 'approved at every step; provisioning follows';
  if (state.status === 'granted' && state.grantId) return `granted (grant ${state.grantId})`;
  return state.outcome ? `${state.status}: ${state.outcome}` : state.status;
}

function printShow(request: RequestDetail): void {
  process.stdout.write(`Request ${request.id}  ${request.status}\n`);
  process.stdout.write(
    formatFields([
      ['entitlement', `${request.resource}/${request.entitlement} (${request.entitlementName})`],
      ['requester', request.requester],
      ['filed by', request.submittedBy === request.requester ? null : request.submittedBy],
      ['duration', formatDuration(request.durationSeconds)],
      ['reason', request.reason],
      ['plan', request.plan],
      ['created', formatTime(request.createdAt)],
      ['closed', request.closedAt && formatTime(request.closedAt)],
      ['outcome', request.outcome],
      ['grant', request.grantId],
    ]),
  );
  if (request.decisions.length > 0) {
    process.stdout.write('Decisions\n');
    process.stdout.write(
      formatTable(
        ['  STEP', 'DECISION', 'BY', 'AT'],
        request.decisions.map((d) => [`  ${d.step + 1}`, d.decision, d.approver, formatTime(d.at)]),
      ),
    );
  }
  if (request.live) process.stdout.write(`Now\n  ${nextStep(request.live)}\n`);
}

/** `grantflow request ...`: ask for access, decide, and follow a request to its grant. */
export function registerRequestCommands(program: Command): void {
  const request = program
    .command('request')
    .description('Access requests: ask, approve or deny, cancel, extend or release the grant');

  withApiOptions(
    request
      .command('create')
      .description('Ask for an entitlement for a while; prints the request and who must approve it')
      .requiredOption('--resource <key>', 'the resource, e.g. payments-db')
      .requiredOption('--entitlement <key>', 'the entitlement of that resource, e.g. read')
      .requiredOption('--duration <duration>', 'how long, e.g. 30m, 4h, 2d, 1h30m')
      .option('--reason <text>', 'why (some policies require one)')
      .option('--for <email>', 'ask on behalf of this person (admins; recorded as such)')
      .option('--json', 'the request as JSON')
      .option(
        '--quiet',
        'print only the request id (for scripts: REQ=$(grantflow request create ... --quiet))',
      ),
  ).action(
    async (
      options: ApiOptions & {
        resource: string;
        entitlement: string;
        duration: string;
        reason?: string;
        for?: string;
        json?: boolean;
        quiet?: boolean;
      },
    ) => {
      const durationSeconds = durationFlag('--duration', options.duration);
      const api = connectApi(options);
      const created = await api.post<RequestBody>('/requests', {
        body: {
          resource: options.resource,
          entitlement: options.entitlement,
          durationSeconds,
          ...(options.reason !== undefined ? { reason: options.reason } : {}),
          ...(options.for !== undefined ? { onBehalfOf: options.for } : {}),
        },
        flags: {
          resource: '--resource',
          entitlement: '--entitlement',
          durationSeconds: '--duration',
          reason: '--reason',
          onBehalfOf: '--for',
        },
      });
      if (options.quiet) return void process.stdout.write(`${created.id}\n`);
      const shown = await withPlan(api, created);
      if (options.json) return printJson(shown);
      process.stdout.write(`Request ${shown.id}  ${shown.status}\n`);
      process.stdout.write(
        `  ${shown.resource}/${shown.entitlement} for ${formatDuration(shown.durationSeconds)}, ` +
          `requested for ${shown.requester}\n`,
      );
      process.stdout.write(
        `  ${shown.plan ?? `plan not worked out yet: see \`grantflow request show ${shown.id}\``}\n`,
      );
    },
  );

  withApiOptions(
    request
      .command('list')
      .description("Requests, newest first (yours; admins and auditors see everyone's)")
      .option('--status <status>', 'pending | pending_approval | provisioning | granted | denied | ...')
      .option('--requester <email>', "only this person's (admins and auditors)")
      .option('--limit <n>', 'most requests to list (1 to 500)', '50')
      .option('--json', 'the requests as JSON'),
  ).action(
    async (options: ApiOptions & { status?: string; requester?: string; limit: string; json?: boolean }) => {
      const { items } = await connectApi(options).get<{ items: RequestBody[] }>('/requests', {
        query: { status: options.status, requester: options.requester, limit: options.limit },
        flags: { status: '--status', requester: '--requester', limit: '--limit' },
      });
      printList(items, {
        json: options.json,
        empty: 'No requests.',
        columns: [
          ['ID', (r) => r.id],
          ['STATUS', (r) => r.status],
          ['REQUESTER', (r) => r.requester],
          ['ENTITLEMENT', (r) => `${r.resource}/${r.entitlement}`],
          ['DURATION', (r) => formatDuration(r.durationSeconds)],
          ['CREATED', (r) => formatTime(r.createdAt)],
        ],
      });
    },
  );

  withApiOptions(
    request
      .command('show')
      .description('One request: its plan, decisions and, while it runs, what it waits for')
      .argument('<id>', 'request id')
      .option('--json', 'the request as JSON'),
  ).action(async (id: string, options: ApiOptions & { json?: boolean }) => {
    const found = await connectApi(options).get<RequestDetail>(byId(id));
    if (options.json) return printJson(found);
    printShow(found);
  });

  for (const decision of ['approve', 'deny'] as const) {
    withApiOptions(
      request
        .command(decision)
        .description(`${decision === 'approve' ? 'Approve' : 'Deny'} the step of a request waiting on you`)
        .argument('<id>', 'request id')
        .option('--comment <text>', 'a note for the requester and the audit ledger')
        .option('--for <email>', 'decide on behalf of this approver (admins; recorded as such)')
        .option('--json', 'the request state as JSON'),
    ).action(async (id: string, options: ApiOptions & { comment?: string; for?: string; json?: boolean }) => {
      const state = await connectApi(options).post<RequestState>(`${byId(id)}/decisions`, {
        body: {
          decision,
          ...(options.comment !== undefined ? { comment: options.comment } : {}),
          ...(options.for !== undefined ? { onBehalfOf: options.for } : {}),
        },
        flags: { comment: '--comment', onBehalfOf: '--for' },
      });
      if (options.json) return printJson(state);
      process.stdout.write(
        `${decision === 'approve' ? 'Approved' : 'Denied'} request ${state.requestId}; now ${nextStep(state)}.\n`,
      );
    });
  }

  const lifecycle = (name: 'cancel' | 'retry', description: string, done: string) =>
    withApiOptions(
      request
        .command(name)
        .description(description)
        .argument('<id>', 'request id')
        .option('--reason <text>', 'why, for the audit ledger')
        .option('--json', 'the request state as JSON'),
    ).action(async (id: string, options: ApiOptions & { reason?: string; json?: boolean }) => {
      const state = await connectApi(options).post<RequestState>(`${byId(id)}/${name}`, {
        body: options.reason !== undefined ? { reason: options.reason } : {},
        flags: { reason: '--reason' },
      });
      if (options.json) return printJson(state);
      process.stdout.write(`${done} request ${state.requestId}; now ${nextStep(state)}.\n`);
    });
  lifecycle('cancel', 'Withdraw a request before it is provisioned (its requester or an admin)', 'Cancelled');
  lifecycle('retry', 'Retry a provisioning that failed for good (admins)', 'Retrying');

  withApiOptions(
    request
      .command('fulfil')
      .description("Report a manual resource's access granted by hand, or refused (its owner or an admin)")
      .argument('<id>', 'request id')
      .addOption(
        new Option('--outcome <outcome>', 'done or refused')
          .choices(['done', 'refused'])
          .makeOptionMandatory(),
      )
      .option('--reason <text>', 'why, for the requester and the audit ledger')
      .option('--json', 'the request state as JSON'),
  ).action(async (id: string, options: ApiOptions & { outcome: string; reason?: string; json?: boolean }) => {
    const state = await connectApi(options).post<RequestState>(`${byId(id)}/fulfilment`, {
      body: {
        outcome: options.outcome,
        ...(options.reason !== undefined ? { reason: options.reason } : {}),
      },
      flags: { outcome: '--outcome', reason: '--reason' },
    });
    if (options.json) return printJson(state);
    process.stdout.write(`Reported request ${state.requestId} ${options.outcome}; now ${nextStep(state)}.\n`);
  });

  withApiOptions(
    request
      .command('extend')
      .description('Keep a grant longer (admins; its holder where the policy would auto-approve)')
      .argument('<grant-id>', 'grant id (see grantflow grants list)')
      .requiredOption('--by <duration>', 'how much longer, e.g. 2h')
      .option('--reason <text>', 'why, for the audit ledger')
      .option('--json', 'the grant state as JSON'),
  ).action(async (grantId: string, options: ApiOptions & { by: string; reason?: string; json?: boolean }) => {
    const seconds = durationFlag('--by', options.by);
    const state = await connectApi(options).post<GrantState>(`${grantById(grantId)}/extend`, {
      body: { seconds, ...(options.reason !== undefined ? { reason: options.reason } : {}) },
      flags: { seconds: '--by', reason: '--reason' },
    });
    if (options.json) return printJson(state);
    process.stdout.write(describeGrantState(state));
  });

  withApiOptions(
    request
      .command('release')
      .description('Give a grant back now (its holder)')
      .argument('<id>', 'grant id (see grantflow grants list), or the id of the request it came from')
      .option('--reason <text>', 'why, for the audit ledger')
      .option('--json', 'the grant state as JSON'),
  ).action(async (id: string, options: ApiOptions & { reason?: string; json?: boolean }) => {
    const api = connectApi(options);
    const grantId = await grantIdOf(api, id);
    const state = await api.post<GrantState>(`${grantById(grantId)}/release`, {
      body: options.reason !== undefined ? { reason: options.reason } : {},
      flags: { reason: '--reason' },
    });
    if (options.json) return printJson(state);
    process.stdout.write(describeGrantState(state));
  });
}
