// One event per catalogued type, shaped as its writer records it (the `record*` helpers, the
// workflows' `requestAudit` / `grantAudit` / `auditWrite`, the SCIM and Slack handlers): the OCSF
// test exports each and validates it against the schema.
import type { AuditEventInput, AuditEventType } from '../../../audit/events.js';

/** An event without its id, time and type, which the test fills in. */
export type ExampleEvent = Omit<AuditEventInput, 'event_id' | 'occurred_at' | 'event_type'>;

const REQUEST = '0c6f3d5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const GRANT = '7d1e2f3a-4b5c-4d6e-9f0a-1b2c3d4e5f60';
const CAMPAIGN = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const PERSON = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
const GROUP = '9a8b7c6d-5e4f-4a3b-b2c1-d0e9f8a7b6c5';
const LOG_REVIEW = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';

const ada = { type: 'person', id: 'ada@acme.test', email: 'ada@acme.test' } as const;
const hannahInSlack = {
  type: 'person',
  id: 'hannah@acme.test',
  email: 'hannah@acme.test',
  slack_id: 'U024BE7LH',
} as const;
const worker = { type: 'system', id: 'grantflow-worker' } as const;
const policy = { type: 'policy', id: 'payments@v3' } as const;
const okta = { type: 'scim', id: 'okta' } as const;
const cli = { type: 'system', id: 'cli:ops@laptop-7' } as const;

const fromWorker = { service: 'grantflow-worker' };
const fromApi = {
  service: 'grantflow-api',
  host: 'api-1',
  ip: '203.0.113.7',
  user_agent: 'grantflow-cli/0.9',
};
const fromConsole = {
  service: 'grantflow-console',
  host: 'api-1',
  ip: '203.0.113.9',
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
};
const fromSlack = { service: 'grantflow-slack', host: 'api-1' };
const fromScim = {
  service: 'grantflow-scim',
  host: 'api-1',
  ip: '198.51.100.20',
  user_agent: 'Okta SCIM/1.0',
};
const fromCli = { service: 'grantflow', host: 'laptop-7' };

const entitlement = { type: 'entitlement', id: 'payments-db/read', name: 'Read' };
const requestIds = { request_id: REQUEST, workflow_id: `access-request:${REQUEST}`, run_id: 'run-1' };
const grantIds = { grant_id: GRANT, request_id: REQUEST, workflow_id: `grant:${GRANT}`, run_id: 'run-2' };
const campaignIds = { campaign_id: CAMPAIGN, workflow_id: `campaign:${CAMPAIGN}`, run_id: 'run-3' };
const campaign = { type: 'campaign', id: CAMPAIGN, name: 'Q4 review' };
const item = { type: 'campaign_item', id: `${CAMPAIGN}/12` };
const person = { type: 'person', id: PERSON, name: 'tom@acme.test' };
const group = { type: 'group', id: GROUP, name: 'payments-team' };
const holder = 'tom@acme.test';

/** A request event from its workflow (`requestAudit`). */
const onRequest = (event: Omit<ExampleEvent, 'source' | 'target'>): ExampleEvent => ({
  source: fromWorker,
  target: entitlement,
  risk: 'medium',
  ...event,
  correlation: { ...requestIds, ...event.correlation },
});

/** A grant event from its lifetime workflow (`grantAudit`): every one names the holder. */
const onGrant = (event: Omit<ExampleEvent, 'source' | 'target' | 'correlation'>): ExampleEvent => ({
  source: fromWorker,
  target: entitlement,
  risk: 'medium',
  ...event,
  details: { holder, ...event.details },
  correlation: grantIds,
});

/** A campaign event from its workflow or activities (`campaignAudit`, `campaignEvent`). */
const onCampaign = (event: Omit<ExampleEvent, 'source' | 'target' | 'correlation'>): ExampleEvent => ({
  source: fromWorker,
  target: campaign,
  correlation: campaignIds,
  ...event,
});

/** A SCIM change to a person or group (`recordIdentityChange`). */
const fromIdp = (event: Omit<ExampleEvent, 'source' | 'actor'>): ExampleEvent => ({
  actor: okta,
  source: fromScim,
  ...event,
});

/** A step of a leaver (activities/leaver.ts). */
const leaver = (
  action: string,
  result: 'success' | 'failure',
  details: Record<string, unknown>,
): ExampleEvent => ({
  actor: { type: 'system', id: 'identity:leaver' },
  source: fromWorker,
  target: person,
  action,
  result,
  details: { deactivated_at: '2025-03-01T09:00:00.000Z', deactivated_by: 'scim:okta', ...details },
});

/** A reconciliation run's outcome (activities/reconcile.ts). */
const run = (result: 'success' | 'failure', extra: Partial<ExampleEvent>): ExampleEvent => ({
  actor: { type: 'system', id: 'reconciliation' },
  source: fromWorker,
  target: { type: 'resource', id: 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e', name: 'payments-db' },
  action: 'reconcile',
  result,
  correlation: { workflow_id: 'reconcile:payments-db' },
  details: { run_id: 'rr-1', held: 40, granted: 39 },
  ...extra,
});

/** Every event type, as its writer records it. */
export const EXAMPLES: Record<AuditEventType, ExampleEvent> = {
  'access.request.created': {
    actor: ada,
    source: fromApi,
    target: entitlement,
    action: 'request',
    result: 'success',
    reason: 'quarter-end close',
    risk: 'medium',
    correlation: { request_id: REQUEST, workflow_id: `access-request:${REQUEST}` },
    details: { requester: 'ada@acme.test', durationSeconds: 14_400 },
  },
  'access.request.planned': onRequest({
    actor: policy,
    action: 'plan',
    result: 'success',
    reason: 'payments data needs the manager',
    details: { outcome: 'approval_required', plan: { steps: [{ index: 0, required: 1 }] } },
  }),
  'access.request.approved': onRequest({
    actor: hannahInSlack,
    action: 'approve',
    result: 'success',
    details: { step: 0, approvals: 1, required: 1, satisfiedSteps: [0], via: 'slack:approve' },
  }),
  'access.request.denied': onRequest({
    actor: hannahInSlack,
    action: 'deny',
    result: 'denied',
    reason: 'denied by hannah@acme.test: not during the freeze',
  }),
  'access.request.cancelled': onRequest({
    actor: ada,
    action: 'cancel',
    result: 'success',
    reason: 'cancelled by ada@acme.test',
  }),
  'access.request.expired': onRequest({
    actor: worker,
    action: 'expire',
    result: 'success',
    reason: 'nobody decided before the request expired',
  }),
  'access.request.escalated': onRequest({
    actor: worker,
    action: 'escalate',
    result: 'success',
    reason: 'no decision within 3600s',
    details: { step: 0, escalatedTo: ['cfo@acme.test'], escalation: 'finance leads' },
  }),
  'access.request.reminded': onRequest({
    actor: worker,
    action: 'remind',
    result: 'success',
    details: { step: 0, reminded: ['hannah@acme.test'] },
  }),
  'access.request.handed_over': onRequest({
    actor: { type: 'system', id: 'identity:leaver' },
    action: 'hand_over',
    result: 'success',
    reason: 'hannah@acme.test left',
    details: { from: 'hannah@acme.test', to: 'cfo@acme.test', steps: [0] },
  }),
  'access.decision.refused': {
    actor: hannahInSlack,
    source: fromSlack,
    target: entitlement,
    action: 'approve',
    result: 'denied',
    reason: 'you may not approve your own request',
    correlation: {
      request_id: REQUEST,
      workflow_id: `access-request:${REQUEST}`,
      slack_action_id: 'slack:approve:1',
    },
  },
  'access.action.refused': {
    actor: hannahInSlack,
    source: fromSlack,
    target: { type: 'grant', id: GRANT },
    action: 'extend',
    result: 'denied',
    reason: 'only the holder or an admin may extend a grant',
    correlation: { grant_id: GRANT, slack_action_id: 'slack:extend:1' },
  },
  'access.grant.provisioned': onGrant({
    actor: worker,
    action: 'provision',
    result: 'success',
    details: {
      grantedAt: '2025-03-01T10:00:00.000Z',
      expiresAt: '2025-03-01T14:00:00.000Z',
      verifiedAtTarget: true,
    },
  }),
  'access.grant.provisioning_retried': onRequest({
    actor: ada,
    action: 'retry',
    result: 'success',
    correlation: { grant_id: GRANT },
  }),
  'access.fulfilment.requested': onRequest({
    actor: worker,
    action: 'request_fulfilment',
    result: 'success',
    details: { assignees: ['owner@acme.test'], task: 'grant' },
  }),
  'access.fulfilment.completed': onRequest({
    actor: { type: 'person', id: 'owner@acme.test', email: 'owner@acme.test', slack_id: 'U0OWNER' },
    action: 'fulfil',
    result: 'success',
  }),
  'access.grant.reminded': onGrant({
    actor: worker,
    action: 'remind',
    result: 'success',
    details: { expiresAt: '2025-03-01T14:00:00.000Z' },
  }),
  'access.grant.provisioning_failed': onGrant({
    actor: worker,
    action: 'provision',
    result: 'failure',
    reason: 'connection refused',
    details: { retryInSeconds: 30 },
  }),
  'access.grant.extended': onGrant({
    actor: { type: 'person', id: holder, email: holder },
    action: 'extend',
    result: 'success',
    reason: 'close runs late',
    details: { seconds: 7_200, expiresAt: '2025-03-01T16:00:00.000Z' },
  }),
  'access.grant.released': onGrant({
    actor: { type: 'person', id: holder, email: holder },
    action: 'release',
    result: 'success',
  }),
  'access.grant.revoked': onGrant({
    actor: { ...ada, on_behalf_of: 'security@acme.test' },
    action: 'revoke',
    result: 'success',
    reason: 'suspicious activity',
  }),
  'access.grant.expired': onGrant({ actor: worker, action: 'expire', result: 'success' }),
  'access.grant.deprovisioned': onGrant({ actor: worker, action: 'deprovision', result: 'success' }),
  'access.grant.verified': onGrant({
    actor: worker,
    action: 'verify_removal',
    result: 'success',
    reason: 'the target no longer grants it',
    details: { seen: 'absent' },
  }),
  'access.grant.imported': {
    actor: { type: 'system', id: 'cli:ops@laptop-7' },
    source: fromCli,
    target: { type: 'entitlement', id: 'payments-db/read' },
    action: 'import',
    result: 'success',
    correlation: { grant_id: GRANT },
    details: {
      holder,
      since: '2024-01-01T00:00:00.000Z',
      until: null,
      source_file: 'acme.yaml',
      source_sha256: 'ab'.repeat(32),
    },
  },
  'access.grant.birthright': {
    actor: { type: 'system', id: 'identity:birthright' },
    source: { service: 'grantflow-worker', host: 'worker-1' },
    target: { type: 'entitlement', id: 'wiki/read' },
    action: 'grant',
    result: 'success',
    reason: 'birthright rule "everyone reads the wiki"',
    correlation: { grant_id: GRANT },
    details: { holder, rule: 'everyone reads the wiki', when: { department: '*' }, expiresAt: null },
  },
  'campaign.launched': onCampaign({
    actor: ada,
    action: 'launch',
    result: 'success',
    details: {
      scope: { resources: ['payments-db'] },
      dueAt: '2025-03-15T00:00:00.000Z',
      defaultAction: 'revoke',
    },
  }),
  'campaign.population.snapshot': onCampaign({
    actor: worker,
    action: 'snapshot',
    result: 'success',
    details: { count: 40, sha256: 'cd'.repeat(32), formatVersion: 1 },
  }),
  'campaign.item.kept': {
    actor: hannahInSlack,
    source: fromSlack,
    target: item,
    action: 'keep',
    result: 'success',
    correlation: { campaign_id: CAMPAIGN, grant_id: GRANT },
    details: { item: 12 },
  },
  'campaign.item.revoked': {
    actor: hannahInSlack,
    source: fromSlack,
    target: item,
    action: 'revoke',
    result: 'success',
    reason: 'moved to marketing',
    correlation: { campaign_id: CAMPAIGN, grant_id: GRANT },
    details: { item: 12 },
  },
  'campaign.item.delegated': {
    actor: hannahInSlack,
    source: fromSlack,
    target: item,
    action: 'delegate',
    result: 'success',
    correlation: { campaign_id: CAMPAIGN },
    details: { item: 12, from: 'hannah@acme.test', to: 'cfo@acme.test' },
  },
  'campaign.decision.refused': {
    actor: hannahInSlack,
    source: fromSlack,
    target: item,
    action: 'keep',
    result: 'denied',
    reason: 'not open for this reviewer: decided already, delegated away, or unknown',
    correlation: { campaign_id: CAMPAIGN },
    details: { item: 12 },
  },
  'campaign.reminded': onCampaign({
    actor: worker,
    action: 'remind',
    result: 'success',
    details: { round: 1, reviewers: 3 },
  }),
  'campaign.escalated': onCampaign({
    actor: worker,
    action: 'escalate',
    result: 'success',
    reason: 'the reviewer is overdue',
    details: { from: 'hannah@acme.test', to: 'cfo@acme.test', items: 4, why: 'overdue' },
  }),
  'campaign.default_applied': onCampaign({
    actor: worker,
    action: 'apply_default',
    result: 'success',
    reason: 'unanswered at the due date',
    details: { defaultAction: 'revoke', decision: 'revoke', items: 2 },
  }),
  'campaign.signed_off': onCampaign({
    actor: ada,
    action: 'sign_off',
    result: 'success',
    details: { counts: { kept: 37, revoked: 3, undecided: 0 } },
  }),
  'campaign.closed': onCampaign({
    actor: worker,
    action: 'close',
    result: 'success',
    details: { counts: { kept: 37, revoked: 3 }, reminderRounds: 2, escalatedItems: 4 },
  }),
  'reconciliation.run.completed': run('success', {}),
  'reconciliation.run.target_unavailable': run('failure', { reason: 'connect ECONNREFUSED 10.0.0.5:5432' }),
  'reconciliation.run.failed': run('failure', { reason: 'TypeError: cannot read the account list' }),
  'reconciliation.finding.opened': {
    actor: { type: 'system', id: 'reconciliation' },
    source: fromWorker,
    target: { type: 'finding', id: 'f-1', name: 'orphan on payments-db' },
    action: 'open',
    result: 'success',
    correlation: { workflow_id: 'reconcile:rr-1' },
    details: { kind: 'orphan', resource: 'payments-db', account: 'legacy_admin' },
  },
  'reconciliation.finding.resolved': {
    actor: ada,
    source: fromApi,
    target: { type: 'finding', id: 'f-1', name: 'orphan on payments-db' },
    action: 'resolve',
    result: 'success',
    reason: 'dropped the role by hand',
    details: { kind: 'orphan', resource: 'payments-db', account: 'legacy_admin', resolution: 'revoked' },
  },
  'config.directory.imported': {
    actor: cli,
    source: fromCli,
    target: { type: 'directory', id: 'acme.yaml' },
    action: 'import',
    result: 'success',
    details: { source_sha256: 'ef'.repeat(32), changes: { people: { added: 3 } } },
  },
  'config.policy.changed': {
    actor: cli,
    source: fromCli,
    target: { type: 'policy', id: 'payments' },
    action: 'update',
    result: 'success',
    details: { source_sha256: 'ef'.repeat(32), before: { approvers: 1 }, after: { approvers: 2 } },
  },
  'config.token.created': {
    actor: { type: 'system', id: 'cli:ops@laptop-7' },
    source: fromCli,
    target: { type: 'api_token', id: 'tok-1', name: 'gf_3k9x' },
    action: 'create',
    result: 'success',
    details: { before: null, after: { person: 'ada@acme.test', role: 'admin', prefix: 'gf_3k9x' } },
  },
  'config.token.revoked': {
    actor: ada,
    source: fromApi,
    target: { type: 'api_token', id: 'tok-1', name: 'gf_3k9x' },
    action: 'revoke',
    result: 'success',
    details: { before: { revoked: false }, after: { revoked: true } },
  },
  'config.scim_connection.created': {
    actor: ada,
    source: fromApi,
    target: { type: 'scim_connection', id: 'sc-1', name: 'okta' },
    action: 'create',
    result: 'success',
    details: { before: null, after: { name: 'okta', prefix: 'gfs_8a', source: 'scim:okta' } },
  },
  'config.scim_connection.revoked': {
    actor: ada,
    source: fromApi,
    target: { type: 'scim_connection', id: 'sc-1', name: 'okta' },
    action: 'revoke',
    result: 'success',
    details: { before: { revoked: false }, after: { revoked: true, prefix: 'gfs_8a' } },
  },
  'auth.passkey.registered': {
    actor: ada,
    source: fromApi,
    target: { type: 'person', id: PERSON, name: 'ada@acme.test' },
    action: 'register',
    result: 'success',
    details: {
      credentialId: 'q3V2bGlkLWNyZWRlbnRpYWw',
      publicKey: 'pQECAyYgASFYIBf0w3Xr3nO6q3kq4n8fO2nC6gq0o8s4v0ZqfX3kZpQfIlgg',
      name: 'YubiKey 5C',
      transports: ['usb'],
      attestationFormat: 'none',
      rpId: 'grantflow.acme.test',
      origin: 'https://grantflow.acme.test',
    },
  },
  'identity.person.created': fromIdp({
    target: person,
    action: 'create',
    result: 'success',
    details: { before: null, after: { email: 'tom@acme.test', name: 'Tom Becker', status: 'active' } },
  }),
  'identity.person.updated': fromIdp({
    target: person,
    action: 'update',
    result: 'success',
    details: { before: { title: 'Analyst' }, after: { title: 'Senior analyst' } },
  }),
  'identity.person.deactivated': fromIdp({
    target: person,
    action: 'deactivate',
    result: 'success',
    details: { before: { status: 'active' }, after: { status: 'inactive' } },
  }),
  'identity.person.reactivated': fromIdp({
    target: person,
    action: 'reactivate',
    result: 'success',
    details: { before: { status: 'inactive' }, after: { status: 'active' } },
  }),
  'identity.person.deleted': fromIdp({
    target: person,
    action: 'delete',
    result: 'success',
    details: { before: { status: 'active' }, after: { status: 'inactive' } },
  }),
  'identity.leaver.started': leaver('offboard', 'success', { tokens_revoked: 1, grants: 4 }),
  'identity.leaver.completed': leaver('complete', 'success', { seconds_to_last_removal: 312 }),
  'identity.leaver.sla_breached': leaver('breach', 'failure', { sla_seconds: 3_600, remaining: 1 }),
  'identity.mover.handled': {
    actor: { type: 'system', id: 'identity:mover' },
    source: fromWorker,
    target: person,
    action: 'review_move',
    result: 'success',
    details: {
      moved_at: '2025-03-01T09:00:00.000Z',
      reviewed_grants: ['payments-db/read'],
      revoked_grants: [],
    },
  },
  'identity.group.created': fromIdp({
    target: group,
    action: 'create',
    result: 'success',
    details: { before: null, after: { key: 'payments-team', name: 'Payments team', source: 'scim:okta' } },
  }),
  'identity.group.updated': fromIdp({
    target: group,
    action: 'update',
    result: 'success',
    details: { before: { name: 'Payments' }, after: { name: 'Payments team' } },
  }),
  'identity.group.deleted': fromIdp({
    target: group,
    action: 'delete',
    result: 'success',
    details: { before: { key: 'payments-team', members: [{ id: PERSON, email: holder }] }, after: null },
  }),
  'identity.group.members_changed': fromIdp({
    target: group,
    action: 'change_members',
    result: 'success',
    details: { added: [{ id: PERSON, email: holder }], removed: [] },
  }),
  'identity.change.refused': fromIdp({
    target: person,
    action: 'update',
    result: 'denied',
    reason: 'person tom@acme.test is managed by scim:entra; this connection may not change it',
    details: { managed_by: 'scim:entra', attempted_by: 'scim:okta' },
  }),
  'audit.search.performed': {
    actor: { type: 'person', id: 'auditor@acme.test', email: 'auditor@acme.test' },
    source: fromApi,
    target: { type: 'audit_ledger', id: 'search' },
    action: 'search',
    result: 'success',
    details: { filter: { type: 'access.grant.revoked' }, returned: 3 },
  },
  'audit.export.created': {
    actor: cli,
    source: fromCli,
    target: { type: 'audit_ledger', id: 'export' },
    action: 'export',
    result: 'success',
    details: {
      filter: { from: '2025-01-01T00:00:00Z' },
      format: 'ocsf',
      count: 120,
      sha256: '01'.repeat(32),
    },
  },
  'audit.verify.performed': {
    actor: cli,
    source: fromCli,
    target: { type: 'audit_ledger', id: 'verify' },
    action: 'verify',
    result: 'failure',
    details: { status: 'tampered', entries: 120, findings: 1 },
  },
  'audit.proof.created': {
    actor: cli,
    source: fromCli,
    target: { type: 'audit_ledger', id: 'prove-consistency' },
    action: 'prove-consistency',
    result: 'success',
    details: { from: 40, to: 120 },
  },
  'audit.evidence.requested': {
    actor: { type: 'person', id: 'aud@acme.test', email: 'aud@acme.test' },
    source: { service: 'grantflow-api', host: 'api-1', ip: '10.0.0.9', user_agent: 'grantflow-cli/0.1' },
    target: { type: 'evidence_pack', id: '0d6f0f7e-7a3b-4b8e-9d6f-5a8f6d2b9c11' },
    action: 'request',
    result: 'success',
    details: { framework: 'soc2', period: '2026-Q4', controls: ['CC6.1'], sample_rule: 'sha256-rank/v1' },
  },
  'audit.evidence.generated': {
    actor: worker,
    source: { service: 'grantflow-worker', host: 'worker-1' },
    target: { type: 'evidence_pack', id: '0d6f0f7e-7a3b-4b8e-9d6f-5a8f6d2b9c11' },
    action: 'generate',
    result: 'success',
    details: { framework: 'soc2', period: '2026-Q4', sha256: '45'.repeat(32), bytes: 81_920 },
  },
  'audit.evidence.annotated': {
    actor: { type: 'person', id: 'ada@acme.test', email: 'ada@acme.test' },
    source: { service: 'grantflow-api', host: 'api-1', ip: '10.0.0.7' },
    target: { type: 'evidence_exception', id: 'rubber_stamping/c-1:mia@acme.test' },
    action: 'annotate',
    result: 'success',
    details: {
      test: 'rubber_stamping',
      key: 'c-1:mia@acme.test',
      root_cause: 'bulk keep',
      corrective_action: 'retrained',
    },
  },
  'audit.log_review.opened': {
    actor: { type: 'system', id: 'log-review-schedule' },
    source: { service: 'grantflow-worker', host: 'worker-1' },
    target: { type: 'log_review', id: LOG_REVIEW, name: '2026-11 log review' },
    action: 'open',
    result: 'success',
    details: {
      period: '2026-11',
      reviewer_group: 'security',
      due_at: '2026-12-11T00:00:00.000Z',
      items: 42,
      through_seq: 1_870,
    },
  },
  'audit.log_review.item_reviewed': {
    actor: { type: 'person', id: 'sec@acme.test', email: 'sec@acme.test' },
    source: fromApi,
    target: { type: 'log_review', id: LOG_REVIEW, name: '2026-11 log review' },
    action: 'review',
    result: 'success',
    details: { items: [3, 4], action_taken: true, note: 'token revoked, owner told' },
  },
  'audit.log_review.signed_off': {
    actor: { type: 'person', id: 'sec@acme.test', email: 'sec@acme.test' },
    source: fromApi,
    target: { type: 'log_review', id: LOG_REVIEW, name: '2026-11 log review' },
    action: 'sign_off',
    result: 'success',
    details: { period: '2026-11', items: 42, action_taken: 1 },
  },
  'audit.checkpoint.sealed': {
    actor: worker,
    source: { service: 'grantflow-worker', host: 'worker-1' },
    target: { type: 'audit_checkpoint', id: '120' },
    action: 'seal',
    result: 'success',
    details: { size: 120, root: '23'.repeat(32) },
  },
  'audit.checkpoint.witness_refused': {
    actor: { type: 'system', id: 'grantflow-audit' },
    source: { service: 'grantflow-worker', host: 'worker-1' },
    target: { type: 'audit_checkpoint', id: '121' },
    action: 'cosign',
    result: 'failure',
    reason: 'witness witness.example/w1 has cosigned size 140, larger than this checkpoint (120)',
    details: { witness: 'witness.example/w1', status: 409, size: 120, witness_size: 140 },
  },
  'audit.ledger.pruned': {
    actor: { type: 'system', id: 'cli:ops@db-admin-1' },
    source: { service: 'grantflow', host: 'db-admin-1' },
    target: { type: 'audit_ledger', id: 'seq 1..5000' },
    action: 'prune',
    result: 'success',
    details: {
      from_seq: 1,
      to_seq: 5000,
      checkpoint_id: 17,
      manifest_sha256: '45'.repeat(32),
      archive: '/var/lib/grantflow/audit-checkpoints/archive/segment-1-5000',
    },
  },
  'notification.delivery.degraded': {
    actor: { type: 'system', id: 'grantflow-notifications' },
    source: { service: 'grantflow', host: 'worker-1' },
    target: { type: 'notification_channel', id: 'slack' },
    action: 'deliver',
    result: 'failure',
    reason: 'ratelimited',
    details: { outage: 'o-1', failingSince: '2025-03-01T09:00:00.000Z', waiting: 12 },
  },
  'notification.delivery.recovered': {
    actor: { type: 'system', id: 'grantflow-notifications' },
    source: { service: 'grantflow', host: 'worker-1' },
    target: { type: 'notification_channel', id: 'slack' },
    action: 'deliver',
    result: 'success',
    details: { outage: 'o-1', failingSince: '2025-03-01T09:00:00.000Z' },
  },
  'security.slack.signature_rejected': {
    actor: { type: 'system', id: 'unverified-slack-caller' },
    source: { service: 'grantflow-slack', host: 'api-1', ip: '192.0.2.44', user_agent: 'Slackbot 1.0' },
    target: { type: 'endpoint', id: '/slack/events' },
    action: 'verify_signature',
    result: 'denied',
    reason: 'signature mismatch',
    details: { bytes: 512 },
  },
  'security.requests.refused': {
    actor: { type: 'system', id: 'unverified-slack-caller' },
    source: { service: 'grantflow-slack', host: 'api-1', ip: '192.0.2.44' },
    target: { type: 'endpoint', id: '/slack/events' },
    action: 'verify_signature',
    result: 'denied',
    reason:
      '9999 requests refused (slack.signature_mismatch) from 192.0.2.44 between 2026-12-04T10:00:00.000Z and 2026-12-04T10:01:00.000Z',
    details: {
      refusal_kind: 'slack.signature_mismatch',
      count: 9_999,
      window_start: '2026-12-04T10:00:00.000Z',
      window_end: '2026-12-04T10:01:00.000Z',
      first_event_type: 'security.slack.signature_rejected',
      instance: '6f1c2d3e-0000-4000-8000-000000000001',
    },
  },
  'security.auth.denied': {
    actor: hannahInSlack,
    source: fromSlack,
    target: { type: 'campaign', id: 'new' },
    action: 'launch',
    result: 'denied',
    reason: 'only admins launch campaigns',
  },
  'auth.session.started': {
    actor: ada,
    source: fromConsole,
    target: { type: 'console_session', id: 'console' },
    action: 'sign_in',
    result: 'success',
    details: { role: 'admin', expires_at: '2026-12-04T14:00:00.000Z', issuer: 'https://idp.acme.test' },
  },
  'auth.session.refused': {
    actor: { type: 'person', id: 'mallory@acme.test', email: 'mallory@acme.test' },
    source: fromConsole,
    target: { type: 'console_session', id: 'console' },
    action: 'sign_in',
    result: 'denied',
    reason: 'no active person with this email in the directory',
    details: { code: 'unknown_person', issuer: 'https://idp.acme.test' },
  },
  'auth.session.ended': {
    actor: ada,
    source: fromConsole,
    target: { type: 'console_session', id: 'console' },
    action: 'sign_out',
    result: 'success',
  },
  'auth.csrf.refused': {
    actor: ada,
    source: fromConsole,
    target: { type: 'api_route', id: 'POST /api/v1/requests' },
    action: 'write',
    result: 'denied',
    reason: 'the x-csrf-token header is missing',
  },
};
