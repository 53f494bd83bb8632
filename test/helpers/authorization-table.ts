// The authorization matrix: for every route the server registers, who may call it. One row per
// operationId, each with the call to make and the answer expected per caller:
//   none      no credentials at all
//   scim      a SCIM connection token (valid under /scim/v2 only)
//   employee  an employee's API token
//   auditor   an auditor's API token
//   admin     an admin's API token
// Where a route acts on a record that belongs to someone, the row is run twice: on the employee's
// own record and on another employee's; a cell `{ own, other }` tells the two apart, a plain cell
// holds for both. The answers:
//   ok              the caller got through to the use case: 2xx, or a business answer about the
//                   record's state or the input's meaning (400 from the use case, 409)
//   missing         404: the record is unknown, or not one this caller may see (requests, grants)
//   forbidden       403: the role, or the rule for this caller, refuses it
//   unauthenticated 401
//   unavailable     503: a door this deployment has switched off (console sign-in without an IdP)
// Calls are built to pass the route's schema, so a refusal is about who calls, never about the
// input; destructive calls aim at records made for them, or are refused by the use case after the
// role check (a nonexistent resource, an unsettled campaign), so the matrix leaves the stack usable.

/** Who calls. */
// In this order: a caller's write can close a record for the callers after it (a cancelled request
// answers 409), so the callers who are refused go first and the admin last.
export const CALLERS = ['none', 'scim', 'auditor', 'employee', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];

/** An expected answer, by meaning. */
export type Answer = 'ok' | 'missing' | 'forbidden' | 'unauthenticated' | 'unavailable';

/** Whose record a row acts on. */
export type Whose = 'own' | 'other';
type Pair = Record<Whose, string>;

/** The records the fixture made, which the rows' calls name. */
export type Objects = {
  /** The employee (own) and another employee (other): their person ids and emails. */
  person: Pair;
  email: Pair;
  /** A request each has open (waiting for approval). */
  request: Pair;
  /** A grant each holds (auto-approved, provisioned). */
  grant: Pair;
  campaign: string;
  finding: string;
  evidencePack: string;
  logReview: string;
  /** An event in the ledger. */
  auditEvent: string;
  /** A SCIM connection made for the admin to revoke. */
  spareScimConnection: string;
  /** A SCIM user the caller's connection manages (own), and one another connection manages (other). */
  scimUser: Pair;
  scimGroup: string;
};

/** One call: path (params filled in), query, body. */
export type Call = { method: string; url: string; query?: Record<string, string>; body?: unknown };

/** One route's row. */
export type Row = {
  /** `METHOD url` as registered; the test holds it to the registry. */
  route: string;
  /** Set when the call acts on someone's record: run as `own` and as `other`. */
  perOwner?: true;
  call(objects: Objects, whose: Whose): Omit<Call, 'method'>;
  expect: Record<Caller, Answer | Record<Whose, Answer>>;
  /** Why a row is as it is, where the code alone does not say. */
  note?: string;
};

const u = 'unauthenticated' as const;
const f = 'forbidden' as const;

/** Everyone through: public doors. */
const everyone = (answer: Answer) => ({
  none: answer,
  scim: answer,
  employee: answer,
  auditor: answer,
  admin: answer,
});
/** Any API token (`ANY_ROLE`); a SCIM token is no API token. */
const anyRole = { none: u, scim: u, employee: 'ok', auditor: 'ok', admin: 'ok' } as const;
const adminOrAuditor = { none: u, scim: u, employee: f, auditor: 'ok', admin: 'ok' } as const;
const adminOnly = { none: u, scim: u, employee: f, auditor: f, admin: 'ok' } as const;
/** /scim/v2: the connection token only; API tokens are unknown there. */
const scimOnly = { none: u, scim: 'ok', employee: u, auditor: u, admin: u } as const;
/** Requests and grants: an employee sees their own; anyone else's reads as unknown. */
const ownOnly = { own: 'ok', other: 'missing' } as const;

const path = (url: string) => () => ({ url });
const NO_CHECKPOINT = '00000000-0000-4000-8000-000000000000';

/** The table, keyed by operationId. */
export const AUTHORIZATION_TABLE: Record<string, Row> = {
  // Public doors: health, the document, console sign-in (off on this stack) and Slack (signed, not
  // authenticated: an unsigned call is refused whatever token it carries).
  getOpenApiDocument: {
    route: 'GET /api/v1/openapi.json',
    call: path('/api/v1/openapi.json'),
    expect: everyone('ok'),
  },
  checkLiveness: { route: 'GET /healthz', call: path('/healthz'), expect: everyone('ok') },
  checkReadiness: { route: 'GET /readyz', call: path('/readyz'), expect: everyone('ok') },
  signIn: {
    route: 'GET /auth/login',
    call: path('/auth/login'),
    expect: everyone('unavailable'),
    note: 'sign-in is off without an IdP',
  },
  completeSignIn: {
    route: 'GET /auth/callback',
    call: path('/auth/callback'),
    expect: everyone('unavailable'),
    note: 'sign-in is off without an IdP',
  },
  signOut: {
    route: 'POST /auth/logout',
    call: path('/auth/logout'),
    expect: everyone(u),
    note: 'ends a console session; a bearer token is no session',
  },
  getSession: {
    route: 'GET /api/v1/session',
    call: path('/api/v1/session'),
    expect: everyone(u),
    note: 'the console session only: a bearer token is no session',
  },
  receiveSlackEvents: {
    route: 'POST /slack/events',
    call: () => ({ url: '/slack/events', body: { type: 'url_verification', challenge: 'x' } }),
    expect: everyone(u),
    note: 'Slack signs its requests; an unsigned one is refused (and recorded) whatever token it carries',
  },

  // Directory and catalog.
  listPeople: { route: 'GET /api/v1/people', call: path('/api/v1/people'), expect: anyRole },
  getPersonOverview: {
    route: 'GET /api/v1/people/overview',
    perOwner: true,
    call: (o, w) => ({ url: '/api/v1/people/overview', query: { email: o.email[w] } }),
    expect: adminOrAuditor,
  },
  getPerson: {
    route: 'GET /api/v1/people/:id',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/people/${o.person[w]}` }),
    expect: anyRole,
  },
  listGroups: { route: 'GET /api/v1/groups', call: path('/api/v1/groups'), expect: adminOrAuditor },
  listResources: { route: 'GET /api/v1/resources', call: path('/api/v1/resources'), expect: anyRole },
  getResource: { route: 'GET /api/v1/resources/:key', call: path('/api/v1/resources/db'), expect: anyRole },
  listPolicies: { route: 'GET /api/v1/policies', call: path('/api/v1/policies'), expect: adminOrAuditor },
  listPolicyVersions: {
    route: 'GET /api/v1/policies/:key/versions',
    call: path('/api/v1/policies/two-step/versions'),
    expect: adminOrAuditor,
  },

  // The ledger.
  searchAuditEvents: {
    route: 'GET /api/v1/audit/events',
    call: path('/api/v1/audit/events'),
    expect: adminOrAuditor,
  },
  verifyAuditLedger: {
    route: 'GET /api/v1/audit/verify',
    call: path('/api/v1/audit/verify'),
    expect: adminOrAuditor,
  },
  proveAuditConsistency: {
    route: 'GET /api/v1/audit/consistency',
    call: () => ({ url: '/api/v1/audit/consistency', query: { from: '0' } }),
    expect: { ...adminOrAuditor, auditor: 'missing', admin: 'missing' },
    note: 'no checkpoint has tree size 0: the readers get 404, everyone else is refused first',
  },
  listAuditCheckpoints: {
    route: 'GET /api/v1/audit/checkpoints',
    call: path('/api/v1/audit/checkpoints'),
    expect: adminOrAuditor,
  },
  downloadAuditCheckpointNote: {
    route: 'GET /api/v1/audit/checkpoints/:id/note',
    call: path('/api/v1/audit/checkpoints/999999/note'),
    expect: { ...adminOrAuditor, auditor: 'missing', admin: 'missing' },
    note: 'no checkpoint has that id: the readers get 404, everyone else is refused first',
  },
  proveAuditEvent: {
    route: 'GET /api/v1/audit/events/:eventId/proof',
    call: (o) => ({ url: `/api/v1/audit/events/${o.auditEvent}/proof` }),
    expect: adminOrAuditor,
  },

  // Access requests.
  createRequest: {
    route: 'POST /api/v1/requests',
    perOwner: true,
    call: (o, w) => ({
      url: '/api/v1/requests',
      body: {
        resource: 'db',
        entitlement: 'timed',
        durationSeconds: 3_600,
        ...(w === 'other' ? { onBehalfOf: o.email.other } : {}),
      },
    }),
    expect: { ...anyRole, employee: { own: 'ok', other: f }, auditor: { own: 'ok', other: f } },
    note: 'own: for oneself; other: on behalf of another employee, which only admins may do',
  },
  listRequests: { route: 'GET /api/v1/requests', call: path('/api/v1/requests'), expect: anyRole },
  getRequest: {
    route: 'GET /api/v1/requests/:id',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/requests/${o.request[w]}` }),
    expect: { ...anyRole, employee: ownOnly },
  },
  createDecisionChallenge: {
    route: 'POST /api/v1/requests/:id/decisions/challenge',
    perOwner: true,
    call: (o, w) => ({
      url: `/api/v1/requests/${o.request[w]}/decisions/challenge`,
      body: { decision: 'approve' },
    }),
    expect: { ...anyRole, employee: ownOnly },
    note: 'says whether approving would need a passkey, to whoever may see the request; deciding is where eligibility is checked',
  },
  decideRequest: {
    route: 'POST /api/v1/requests/:id/decisions',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/requests/${o.request[w]}/decisions`, body: { decision: 'approve' } }),
    expect: { ...anyRole, employee: f, auditor: f, admin: f },
    note: 'the manager approves this step: self-approval is refused, and so is anyone else; an admin decides only onBehalfOf an approver (tested below)',
  },
  retryRequestProvisioning: {
    route: 'POST /api/v1/requests/:id/retry',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/requests/${o.request[w]}/retry`, body: {} }),
    expect: { ...anyRole, employee: { own: f, other: 'missing' }, auditor: f },
  },
  reportRequestFulfilment: {
    route: 'POST /api/v1/requests/:id/fulfilment',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/requests/${o.request[w]}/fulfilment`, body: { outcome: 'done' } }),
    expect: { ...anyRole, employee: f, auditor: f },
    note: "the resource's owner or an admin, whoever the request is for; the admin gets 409 (not a manual resource)",
  },

  // Last of the request rows: it closes both requests.
  cancelRequest: {
    route: 'POST /api/v1/requests/:id/cancel',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/requests/${o.request[w]}/cancel`, body: {} }),
    expect: { ...anyRole, employee: ownOnly, auditor: f },
  },

  // Grants.
  listGrants: { route: 'GET /api/v1/grants', call: path('/api/v1/grants'), expect: anyRole },
  getGrant: {
    route: 'GET /api/v1/grants/:id',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/grants/${o.grant[w]}` }),
    expect: { ...anyRole, employee: ownOnly },
  },
  extendGrant: {
    route: 'POST /api/v1/grants/:id/extend',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/grants/${o.grant[w]}/extend`, body: { seconds: 60 } }),
    expect: { ...anyRole, employee: ownOnly, auditor: f },
  },
  reportGrantRemoval: {
    route: 'POST /api/v1/grants/:id/removal',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/grants/${o.grant[w]}/removal`, body: { outcome: 'done' } }),
    expect: { ...anyRole, employee: f, auditor: f },
    note: "the resource's owner or an admin, whoever holds the grant; the admin gets 409 (not ending)",
  },
  releaseGrant: {
    route: 'POST /api/v1/grants/:id/release',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/grants/${o.grant[w]}/release`, body: {} }),
    expect: { ...anyRole, employee: ownOnly, auditor: f, admin: f },
    note: 'the holder gives access back; an admin revokes instead',
  },
  revokeGrant: {
    route: 'POST /api/v1/grants/:id/revoke',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/grants/${o.grant[w]}/revoke`, body: {} }),
    expect: adminOnly,
  },

  // Campaigns.
  launchCampaign: {
    route: 'POST /api/v1/campaigns',
    call: () => ({ url: '/api/v1/campaigns', body: CAMPAIGN_LAUNCH }),
    expect: adminOnly,
    note: 'the fixture launched the same period: a repeat answers the first',
  },
  scheduleCampaign: {
    route: 'POST /api/v1/campaigns/schedules',
    call: () => ({ url: '/api/v1/campaigns/schedules', body: { name: 'Refused by the use case' } }),
    expect: adminOnly,
    note: 'an incomplete template: the admin gets the launch validation (400), so no schedule is left behind',
  },
  listCampaignSchedules: {
    route: 'GET /api/v1/campaigns/schedules',
    call: path('/api/v1/campaigns/schedules'),
    expect: adminOnly,
  },
  listCampaigns: { route: 'GET /api/v1/campaigns', call: path('/api/v1/campaigns'), expect: adminOrAuditor },
  getCampaign: {
    route: 'GET /api/v1/campaigns/:id',
    call: (o) => ({ url: `/api/v1/campaigns/${o.campaign}` }),
    expect: adminOrAuditor,
  },
  listCampaignItems: {
    route: 'GET /api/v1/campaigns/:id/items',
    call: (o) => ({ url: `/api/v1/campaigns/${o.campaign}/items` }),
    expect: anyRole,
    note: 'each caller sees the items they review; only admins and auditors may name another reviewer',
  },
  decideCampaignItems: {
    route: 'POST /api/v1/campaigns/:id/decisions',
    call: (o) => ({
      url: `/api/v1/campaigns/${o.campaign}/decisions`,
      body: { items: [1], decision: 'keep' },
    }),
    expect: anyRole,
    note: 'an item the caller does not review is refused inside the 200 answer (tested in campaign-api)',
  },
  delegateCampaignItems: {
    route: 'POST /api/v1/campaigns/:id/delegations',
    perOwner: true,
    call: (o, w) => ({ url: `/api/v1/campaigns/${o.campaign}/delegations`, body: { to: o.email[w] } }),
    expect: anyRole,
    note: 'hands on only the caller’s own undecided items',
  },
  signOffCampaign: {
    route: 'POST /api/v1/campaigns/:id/signoff',
    call: (o) => ({ url: `/api/v1/campaigns/${o.campaign}/signoff`, body: {} }),
    expect: adminOnly,
    note: 'not settled yet: the admin gets 409',
  },
  getCampaignReport: {
    route: 'GET /api/v1/campaigns/:id/report',
    call: (o) => ({ url: `/api/v1/campaigns/${o.campaign}/report` }),
    expect: adminOrAuditor,
  },

  // Reconciliation and findings.
  reconcileResource: {
    route: 'POST /api/v1/reconciliations',
    call: () => ({ url: '/api/v1/reconciliations', body: { resource: 'no-such-resource' } }),
    expect: { ...adminOnly, admin: 'missing' },
    note: 'an unknown resource: the admin gets 404, so nothing is reconciled',
  },
  checkSeparationOfDuties: {
    route: 'POST /api/v1/reconciliations/sod',
    call: () => ({ url: '/api/v1/reconciliations/sod', body: {} }),
    expect: adminOnly,
  },
  listReconciliations: {
    route: 'GET /api/v1/reconciliations',
    call: () => ({ url: '/api/v1/reconciliations', query: { resource: 'db' } }),
    expect: adminOrAuditor,
  },
  listFindings: { route: 'GET /api/v1/findings', call: path('/api/v1/findings'), expect: adminOrAuditor },
  getFinding: {
    route: 'GET /api/v1/findings/:id',
    call: (o) => ({ url: `/api/v1/findings/${o.finding}` }),
    expect: adminOrAuditor,
  },
  resolveFinding: {
    route: 'POST /api/v1/findings/:id/resolution',
    call: (o) => ({ url: `/api/v1/findings/${o.finding}/resolution`, body: { reason: 'accepted' } }),
    expect: adminOnly,
  },

  // Evidence packs.
  requestEvidencePack: {
    route: 'POST /api/v1/evidence/packs',
    call: () => ({ url: '/api/v1/evidence/packs', body: { framework: 'pci', period: '2026-Q4' } }),
    expect: adminOrAuditor,
    note: 'an unknown framework: the readers get the validation (400), so no second pack is built',
  },
  listEvidencePacks: {
    route: 'GET /api/v1/evidence/packs',
    call: path('/api/v1/evidence/packs'),
    expect: adminOrAuditor,
  },
  getEvidencePack: {
    route: 'GET /api/v1/evidence/packs/:id',
    call: (o) => ({ url: `/api/v1/evidence/packs/${o.evidencePack}` }),
    expect: adminOrAuditor,
  },
  downloadEvidencePack: {
    route: 'GET /api/v1/evidence/packs/:id/download',
    call: (o) => ({ url: `/api/v1/evidence/packs/${o.evidencePack}/download` }),
    expect: adminOrAuditor,
  },
  annotateEvidenceException: {
    route: 'POST /api/v1/evidence/annotations',
    call: () => ({
      url: '/api/v1/evidence/annotations',
      body: {
        test: 'approver_is_requester',
        key: 'authz-matrix',
        rootCause: 'matrix',
        correctiveAction: 'none',
      },
    }),
    expect: adminOnly,
  },

  // Log reviews: the reviewer group (security) and admins act; auditors read.
  openLogReview: {
    route: 'POST /api/v1/log-reviews',
    call: () => ({ url: '/api/v1/log-reviews', body: {} }),
    expect: adminOnly,
  },
  listLogReviews: {
    route: 'GET /api/v1/log-reviews',
    call: path('/api/v1/log-reviews'),
    expect: adminOrAuditor,
  },
  listLogReviewItems: {
    route: 'GET /api/v1/log-reviews/:id/items',
    call: (o) => ({ url: `/api/v1/log-reviews/${o.logReview}/items` }),
    expect: adminOrAuditor,
  },
  markLogReviewItemsReviewed: {
    route: 'POST /api/v1/log-reviews/:id/items/reviewed',
    call: (o) => ({ url: `/api/v1/log-reviews/${o.logReview}/items/reviewed`, body: { items: [1] } }),
    expect: adminOnly,
  },
  signOffLogReview: {
    route: 'POST /api/v1/log-reviews/:id/signoff',
    call: (o) => ({ url: `/api/v1/log-reviews/${o.logReview}/signoff`, body: {} }),
    expect: adminOnly,
  },

  // SCIM connections (the admin's), and the SCIM service itself (the connection's).
  createScimConnection: {
    route: 'POST /api/v1/scim/connections',
    call: () => ({ url: '/api/v1/scim/connections', body: { name: 'authz-matrix-new' } }),
    expect: adminOnly,
  },
  listScimConnections: {
    route: 'GET /api/v1/scim/connections',
    call: path('/api/v1/scim/connections'),
    expect: adminOnly,
  },
  revokeScimConnection: {
    route: 'POST /api/v1/scim/connections/:name/revoke',
    call: (o) => ({ url: `/api/v1/scim/connections/${o.spareScimConnection}/revoke`, body: {} }),
    expect: adminOnly,
  },
  getScimServiceProviderConfig: {
    route: 'GET /scim/v2/ServiceProviderConfig',
    call: path('/scim/v2/ServiceProviderConfig'),
    expect: scimOnly,
  },
  listScimResourceTypes: {
    route: 'GET /scim/v2/ResourceTypes',
    call: path('/scim/v2/ResourceTypes'),
    expect: scimOnly,
  },
  getScimResourceType: {
    route: 'GET /scim/v2/ResourceTypes/:id',
    call: path('/scim/v2/ResourceTypes/User'),
    expect: scimOnly,
  },
  listScimSchemas: { route: 'GET /scim/v2/Schemas', call: path('/scim/v2/Schemas'), expect: scimOnly },
  getScimSchema: {
    route: 'GET /scim/v2/Schemas/:id',
    call: path('/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'),
    expect: scimOnly,
  },
  listScimUsers: { route: 'GET /scim/v2/Users', call: path('/scim/v2/Users'), expect: scimOnly },
  getScimUser: {
    route: 'GET /scim/v2/Users/:id',
    perOwner: true,
    call: (o, w) => ({ url: `/scim/v2/Users/${o.scimUser[w]}` }),
    expect: scimOnly,
    note: "own: a user this connection manages; other: another connection's, which any connection may read",
  },
  createScimUser: {
    route: 'POST /scim/v2/Users',
    call: () => ({ url: '/scim/v2/Users', body: scimUser('matrix.created') }),
    expect: scimOnly,
  },
  replaceScimUser: {
    route: 'PUT /scim/v2/Users/:id',
    perOwner: true,
    call: (o, w) => ({ url: `/scim/v2/Users/${o.scimUser[w]}`, body: scimUser('matrix.scim') }),
    expect: { ...scimOnly, scim: { own: 'ok', other: f } },
    note: "another connection's people are refused (403, recorded)",
  },
  patchScimUser: {
    route: 'PATCH /scim/v2/Users/:id',
    perOwner: true,
    call: (o, w) => ({
      url: `/scim/v2/Users/${o.scimUser[w]}`,
      body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Matrix' }] },
    }),
    expect: { ...scimOnly, scim: { own: 'ok', other: f } },
  },
  deleteScimUser: {
    route: 'DELETE /scim/v2/Users/:id',
    call: () => ({ url: `/scim/v2/Users/${NO_CHECKPOINT}` }),
    expect: { ...scimOnly, scim: 'missing' },
    note: 'an unknown id: deleting a real user starts a leaver, which the leaver tests cover',
  },
  listScimGroups: { route: 'GET /scim/v2/Groups', call: path('/scim/v2/Groups'), expect: scimOnly },
  getScimGroup: {
    route: 'GET /scim/v2/Groups/:id',
    call: (o) => ({ url: `/scim/v2/Groups/${o.scimGroup}` }),
    expect: scimOnly,
  },
  createScimGroup: {
    route: 'POST /scim/v2/Groups',
    call: () => ({ url: '/scim/v2/Groups', body: { schemas: [GROUP], displayName: 'matrix-created' } }),
    expect: scimOnly,
  },
  replaceScimGroup: {
    route: 'PUT /scim/v2/Groups/:id',
    call: (o) => ({
      url: `/scim/v2/Groups/${o.scimGroup}`,
      body: { schemas: [GROUP], displayName: 'matrix-group' },
    }),
    expect: scimOnly,
  },
  patchScimGroup: {
    route: 'PATCH /scim/v2/Groups/:id',
    call: (o) => ({
      url: `/scim/v2/Groups/${o.scimGroup}`,
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'matrix-group' }],
      },
    }),
    expect: scimOnly,
  },
  deleteScimGroup: {
    route: 'DELETE /scim/v2/Groups/:id',
    call: () => ({ url: `/scim/v2/Groups/${NO_CHECKPOINT}` }),
    expect: { ...scimOnly, scim: 'missing' },
  },

  // Passkeys and the console's inboxes.
  createPasskeyRegistrationOptions: {
    route: 'POST /api/v1/passkeys/registration-options',
    call: () => ({ url: '/api/v1/passkeys/registration-options', body: {} }),
    expect: anyRole,
  },
  registerPasskey: {
    route: 'POST /api/v1/passkeys',
    call: () => ({
      url: '/api/v1/passkeys',
      body: {
        response: {
          id: 'AAAA',
          rawId: 'AAAA',
          type: 'public-key',
          response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' },
          clientExtensionResults: {},
        },
      },
    }),
    expect: anyRole,
    note: 'a response that answers no challenge: everyone authenticated gets the 400 from the use case',
  },
  listPasskeys: { route: 'GET /api/v1/passkeys', call: path('/api/v1/passkeys'), expect: anyRole },
  listApprovals: { route: 'GET /api/v1/approvals', call: path('/api/v1/approvals'), expect: anyRole },
  listMyReviews: { route: 'GET /api/v1/reviews', call: path('/api/v1/reviews'), expect: anyRole },
  getDashboard: { route: 'GET /api/v1/dashboard', call: path('/api/v1/dashboard'), expect: adminOnly },
};

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A SCIM user body for `userName@acme.test`. */
export function scimUser(userName: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `${userName}@acme.test`,
    name: { givenName: 'Matrix', familyName: 'User' },
    emails: [{ value: `${userName}@acme.test`, primary: true }],
    active: true,
  };
}

/** The campaign the fixture launches, and the matrix launches again (a repeat answers the first). */
export const CAMPAIGN_LAUNCH = {
  name: 'Authorization matrix',
  dueInSeconds: 86_400,
  defaultAction: 'keep',
  period: '2026-Q4',
};
