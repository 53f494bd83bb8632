// Ledger entries as OCSF 1.2.0 events, the records `grantflow audit export --format ocsf` writes
// for a SIEM. ROUTES files each event type under the class a SIEM looks in; each class's builder
// fills what that class requires from what the event recorded, and gives up (the entry then goes
// out as API Activity "Other") rather than make a value up. The whole entry rides along in
// `unmapped.grantflow`, so no field is lost and an exported record can still be proven against
// the ledger (`grantflow audit prove`).
import type { AuditEvent, AuditEventType } from './events.js';
import type { LedgerEntryView } from './read.js';

/** The OCSF schema version every exported record conforms to (its `metadata.version`). */
export const OCSF_VERSION = '1.2.0';

/** One exported OCSF event: the base event attributes every class shares, and the class's own. */
export type OcsfEvent = {
  category_uid: number;
  category_name: string;
  class_uid: number;
  class_name: string;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  time: number;
  timezone_offset: number;
  status_id: number;
  status: string;
  status_code: string;
  status_detail?: string;
  message: string;
  metadata: Record<string, unknown>;
  unmapped: { grantflow: LedgerEntryView };
  [attribute: string]: unknown;
};

// The classes used, with the captions of the activities used (OCSF's enum captions, which the
// `*_name` siblings must repeat). "Other" (99) is every class's escape: its name is grantflow's action.
// In OCSF 1.2 three IAM classes carry `actor` only through the host profile, so they declare it.
const CLASSES = {
  account_change: {
    uid: 3001,
    caption: 'Account Change',
    activities: { Create: 1, Enable: 2, Disable: 5, Delete: 6, 'MFA Factor Enable': 10 },
    profiles: [],
  },
  authentication: {
    uid: 3002,
    caption: 'Authentication',
    activities: { Logon: 1, Logoff: 2 },
    profiles: [],
  },
  entity_management: {
    uid: 3004,
    caption: 'Entity Management',
    activities: { Create: 1, Update: 3, Delete: 4 },
    profiles: ['host'],
  },
  user_access: {
    uid: 3005,
    caption: 'User Access Management',
    activities: { 'Assign Privileges': 1, 'Revoke Privileges': 2, Other: 99 },
    profiles: ['host'],
  },
  group_management: {
    uid: 3006,
    caption: 'Group Management',
    activities: { 'Add User': 3, 'Remove User': 4 },
    profiles: ['host'],
  },
  api_activity: {
    uid: 6003,
    caption: 'API Activity',
    activities: { Create: 1, Read: 2, Update: 3, Delete: 4, Other: 99 },
    profiles: [],
  },
} as const;

type ClassKey = keyof typeof CLASSES;
/** A class and one of its activities, by caption. */
type Route = { [K in ClassKey]: readonly [K, keyof (typeof CLASSES)[K]['activities']] }[ClassKey];
/** An event as read back from the ledger: validated at intake, but its type may be newer than this code. */
type Event = Omit<AuditEvent, 'event_type'> & { event_type: string };

const CATEGORIES: Record<number, string> = { 3: 'Identity & Access Management', 6: 'Application Activity' };

const byAction = (event: Event): Route =>
  event.action === 'create'
    ? ['entity_management', 'Create']
    : event.action === 'delete'
      ? ['entity_management', 'Delete']
      : ['entity_management', 'Update'];

/**
 * Event type → OCSF class and activity. Grants are User Access Management; people and groups are
 * Account Change, Group Management (one member in or out) or, for changes those classes have no
 * activity for (an update, a group created with no member yet), Entity Management; refused sign-ins
 * are Authentication; requests, campaigns, reconciliation and ledger reads are API Activity.
 */
const ROUTES: Record<AuditEventType, Route | ((event: Event) => Route)> = {
  'access.request.created': ['api_activity', 'Create'],
  'access.request.planned': ['api_activity', 'Update'],
  'access.request.approved': ['api_activity', 'Update'],
  'access.request.denied': ['api_activity', 'Update'],
  'access.request.cancelled': ['api_activity', 'Update'],
  'access.request.expired': ['api_activity', 'Update'],
  'access.request.escalated': ['api_activity', 'Update'],
  'access.request.reminded': ['api_activity', 'Other'],
  'access.request.handed_over': ['api_activity', 'Update'],
  'access.decision.refused': ['api_activity', 'Update'],
  'access.action.refused': ['api_activity', 'Update'],
  'access.grant.provisioned': ['user_access', 'Assign Privileges'],
  'access.grant.provisioning_retried': ['api_activity', 'Update'],
  'access.fulfilment.requested': ['api_activity', 'Create'],
  'access.fulfilment.completed': ['api_activity', 'Update'],
  'access.grant.reminded': ['user_access', 'Other'],
  'access.grant.provisioning_failed': ['user_access', 'Assign Privileges'],
  'access.grant.extended': ['user_access', 'Other'],
  'access.grant.released': ['user_access', 'Revoke Privileges'],
  'access.grant.revoked': ['user_access', 'Revoke Privileges'],
  'access.grant.expired': ['user_access', 'Revoke Privileges'],
  'access.grant.deprovisioned': ['user_access', 'Revoke Privileges'],
  'access.grant.verified': ['user_access', 'Other'],
  'access.grant.imported': ['user_access', 'Assign Privileges'],
  'access.grant.birthright': ['user_access', 'Assign Privileges'],
  'campaign.launched': ['api_activity', 'Create'],
  'campaign.population.snapshot': ['api_activity', 'Create'],
  'campaign.item.kept': ['api_activity', 'Update'],
  'campaign.item.revoked': ['user_access', 'Revoke Privileges'],
  'campaign.item.delegated': ['api_activity', 'Update'],
  'campaign.decision.refused': ['api_activity', 'Update'],
  'campaign.reminded': ['api_activity', 'Other'],
  'campaign.escalated': ['api_activity', 'Update'],
  'campaign.default_applied': ['api_activity', 'Update'],
  'campaign.signed_off': ['api_activity', 'Update'],
  'campaign.closed': ['api_activity', 'Update'],
  'reconciliation.run.completed': ['api_activity', 'Read'],
  'reconciliation.run.target_unavailable': ['api_activity', 'Read'],
  'reconciliation.run.failed': ['api_activity', 'Read'],
  'reconciliation.finding.opened': ['api_activity', 'Create'],
  'reconciliation.finding.resolved': ['api_activity', 'Update'],
  'config.directory.imported': ['entity_management', 'Update'],
  'config.policy.changed': byAction,
  'config.token.created': ['entity_management', 'Create'],
  'config.token.revoked': ['entity_management', 'Delete'],
  'config.scim_connection.created': ['entity_management', 'Create'],
  'config.scim_connection.revoked': ['entity_management', 'Delete'],
  'auth.passkey.registered': ['account_change', 'MFA Factor Enable'],
  'identity.person.created': ['account_change', 'Create'],
  'identity.person.updated': ['entity_management', 'Update'],
  'identity.person.deactivated': ['account_change', 'Disable'],
  'identity.person.reactivated': ['account_change', 'Enable'],
  'identity.person.deleted': ['account_change', 'Delete'],
  'identity.leaver.started': ['api_activity', 'Other'],
  'identity.leaver.completed': ['api_activity', 'Other'],
  'identity.leaver.sla_breached': ['api_activity', 'Other'],
  'identity.mover.handled': ['api_activity', 'Other'],
  'identity.group.created': ['entity_management', 'Create'],
  'identity.group.updated': ['entity_management', 'Update'],
  'identity.group.deleted': ['entity_management', 'Delete'],
  'identity.group.members_changed': (event) => {
    const { added, removed } = membersChanged(event);
    if (added.length + removed.length !== 1) return ['entity_management', 'Update'];
    return ['group_management', added.length === 1 ? 'Add User' : 'Remove User'];
  },
  'identity.change.refused': byAction,
  'audit.search.performed': ['api_activity', 'Read'],
  'audit.export.created': ['api_activity', 'Read'],
  'audit.verify.performed': ['api_activity', 'Read'],
  'audit.checkpoint.sealed': ['api_activity', 'Create'],
  'audit.checkpoint.witness_refused': ['api_activity', 'Create'],
  'audit.ledger.pruned': ['api_activity', 'Delete'],
  'audit.proof.created': ['api_activity', 'Read'],
  'audit.evidence.requested': ['api_activity', 'Create'],
  'audit.evidence.generated': ['api_activity', 'Create'],
  'audit.evidence.annotated': ['api_activity', 'Update'],
  'audit.log_review.opened': ['api_activity', 'Create'],
  'audit.log_review.item_reviewed': ['api_activity', 'Update'],
  'audit.log_review.signed_off': ['api_activity', 'Update'],
  'notification.delivery.degraded': ['api_activity', 'Other'],
  'notification.delivery.recovered': ['api_activity', 'Other'],
  'security.slack.signature_rejected': ['authentication', 'Logon'],
  'security.auth.denied': ['authentication', 'Logon'],
  'security.requests.refused': ['authentication', 'Logon'],
  'auth.session.started': ['authentication', 'Logon'],
  'auth.session.refused': ['authentication', 'Logon'],
  'auth.session.ended': ['authentication', 'Logoff'],
  'auth.csrf.refused': ['api_activity', 'Other'],
};

/** A type this code does not know yet (a newer writer) still exports, as API Activity "Other". */
const UNKNOWN: Route = ['api_activity', 'Other'];

function routeOf(event: Event): Route {
  const route = (ROUTES as Record<string, Route | ((event: Event) => Route)>)[event.event_type] ?? UNKNOWN;
  return typeof route === 'function' ? route(event) : route;
}

/** One ledger entry as an OCSF 1.2.0 event. */
export function toOcsf(entry: LedgerEntryView): OcsfEvent {
  const event = entry.event as Event;
  let [key, activity] = routeOf(event);
  let own = CLASS_ATTRIBUTES[key](event);
  if (!own) {
    // The event lacks something the class requires (a grant event naming no holder): say what it
    // does record, as API Activity, rather than fill the gap.
    [key, activity] = UNKNOWN;
    own = CLASS_ATTRIBUTES.api_activity(event) ?? {};
  }
  const spec = CLASSES[key];
  const activities: Record<string, number> = spec.activities;
  const activityId = activities[activity] ?? 99;
  const categoryUid = Math.floor(spec.uid / 1000);
  const severity = SEVERITIES[event.risk ?? ''] ?? SEVERITY_UNRATED;
  const failed = event.result !== 'success';
  const client = event.source.ip !== undefined;
  return {
    category_uid: categoryUid,
    category_name: CATEGORIES[categoryUid] ?? 'Uncategorized',
    class_uid: spec.uid,
    class_name: spec.caption,
    activity_id: activityId,
    // For "Other" OCSF wants the source's own word for the activity.
    activity_name: activityId === 99 ? event.action : String(activity),
    type_uid: spec.uid * 100 + activityId,
    type_name: `${spec.caption}: ${activityId === 99 ? 'Other' : String(activity)}`,
    severity_id: severity.id,
    severity: severity.caption,
    time: Date.parse(event.occurred_at),
    // occurred_at is UTC by validation.
    timezone_offset: 0,
    status_id: failed ? 2 : 1,
    status: failed ? 'Failure' : 'Success',
    // Keeps grantflow's distinction between a refusal (denied) and an error (failure).
    status_code: event.result,
    ...(event.reason ? { status_detail: event.reason } : {}),
    message: messageOf(event),
    metadata: {
      version: OCSF_VERSION,
      product: {
        name: 'grantflow',
        vendor_name: 'grantflow',
        ...(event.source.version ? { version: event.source.version } : {}),
      },
      uid: event.event_id,
      event_code: event.event_type,
      sequence: entry.seq,
      logged_time: Date.parse(entry.recorded_at),
      log_name: 'audit_ledger',
      ...correlationOf(event),
      ...(spec.profiles.length > 0 ? { profiles: [...spec.profiles] } : {}),
    },
    actor: { user: actorUser(event.actor) },
    src_endpoint: sourceEndpoint(event.source),
    ...(client && (key === 'api_activity' || key === 'authentication')
      ? { dst_endpoint: serviceEndpoint(event.source) }
      : {}),
    ...(event.source.user_agent ? { http_request: { user_agent: event.source.user_agent } } : {}),
    ...own,
    unmapped: { grantflow: entry },
  };
}

type Attributes = Record<string, unknown>;

/** Each class's own required (and useful recommended) attributes; undefined when the event lacks one. */
const CLASS_ATTRIBUTES: Record<ClassKey, (event: Event) => Attributes | undefined> = {
  account_change: (event) => ({ user: personTarget(event.target) }),
  authentication: (event) => ({ user: actorUser(event.actor), service: serviceOf(event.source) }),
  entity_management: (event) => {
    const before = detail(event, 'before');
    const after = detail(event, 'after');
    const entity = { uid: event.target.id, ...named(event.target.name), type: event.target.type };
    return {
      entity: before === undefined ? entity : { ...entity, data: before },
      ...(after === undefined ? {} : { entity_result: { ...entity, data: after } }),
    };
  },
  // Whose access (details.holder) to which entitlement (the target, or details.entitlement for an
  // event about something else, such as a campaign item).
  user_access: (event) => {
    const holder = detail(event, 'holder');
    const aboutEntitlement = event.target.type === 'entitlement';
    const entitlement = aboutEntitlement ? event.target.id : detail(event, 'entitlement');
    if (typeof holder !== 'string' || typeof entitlement !== 'string') return undefined;
    return {
      user: { name: holder, ...emailOf(holder), type_id: 1, type: 'User' },
      privileges: [entitlement],
      resource: {
        uid: entitlement,
        ...(aboutEntitlement ? named(event.target.name) : {}),
        type: 'entitlement',
      },
    };
  },
  group_management: (event) => {
    const { added, removed } = membersChanged(event);
    const member = added[0] ?? removed[0];
    if (!member) return undefined;
    return {
      group: { uid: event.target.id, ...named(event.target.name) },
      user: { uid: member.id, name: member.email, ...emailOf(member.email), type_id: 1, type: 'User' },
    };
  },
  api_activity: (event) => ({
    api: { operation: event.event_type, service: serviceOf(event.source) },
    resources: [{ uid: event.target.id, ...named(event.target.name), type: event.target.type }],
  }),
};

const SEVERITIES: Record<string, { id: number; caption: string }> = {
  low: { id: 2, caption: 'Low' },
  medium: { id: 3, caption: 'Medium' },
  high: { id: 4, caption: 'High' },
  critical: { id: 5, caption: 'Critical' },
};
/** An event with no risk rating is routine: OCSF's "Informational". */
const SEVERITY_UNRATED = { id: 1, caption: 'Informational' };

// OCSF's own patterns for email_t and hostname_t: a value that does not match goes under a plain
// string attribute instead (or is left to `unmapped`), never into a typed one a SIEM would reject.
const EMAIL_T = /^[a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~.]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/;
const HOSTNAME_T =
  /^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$/;

const emailOf = (value: string | undefined) => (value && EMAIL_T.test(value) ? { email_addr: value } : {});
const named = (name: string | undefined) => (name ? { name } : {});

function detail(event: Event, key: string): unknown {
  const value = event.details?.[key];
  return value === null ? undefined : value;
}

function membersChanged(event: Event): { added: Member[]; removed: Member[] } {
  const list = (value: unknown): Member[] =>
    Array.isArray(value)
      ? value.filter((m): m is Member => typeof m?.id === 'string' && typeof m?.email === 'string')
      : [];
  return { added: list(event.details?.added), removed: list(event.details?.removed) };
}
type Member = { id: string; email: string };

const USER_TYPES: Record<string, { type_id: number; type: string }> = {
  person: { type_id: 1, type: 'User' },
  system: { type_id: 3, type: 'System' },
};

/** The actor as an OCSF user; `name` is the username (a person's email), `uid` grantflow's id. */
function actorUser(actor: Event['actor']) {
  return {
    uid: actor.id,
    name: actor.email ?? actor.id,
    ...emailOf(actor.email),
    ...(actor.slack_id ? { uid_alt: actor.slack_id } : {}),
    // OCSF has no word for a service, policy or SCIM connection acting: "Other", named as grantflow does.
    ...(USER_TYPES[actor.type] ?? { type_id: 99, type: actor.type }),
  };
}

/** A person the event is about (identity events name them by id, with their email as the name). */
function personTarget(target: Event['target']) {
  return { uid: target.id, ...named(target.name), ...emailOf(target.name), type_id: 1, type: 'User' };
}

const serviceOf = (source: Event['source']) => ({
  name: source.service,
  ...(source.version ? { version: source.version } : {}),
});

/**
 * Where the activity came from: the caller's IP for API, SCIM and Slack requests; otherwise the
 * grantflow service that did it (worker, CLI), named as recorded — OCSF's `svc_name` — not an
 * address grantflow never saw.
 */
function sourceEndpoint(source: Event['source']) {
  return source.ip ? { ip: source.ip } : serviceEndpoint(source);
}

function serviceEndpoint(source: Event['source']) {
  const host = source.host;
  return {
    svc_name: source.service,
    ...(host ? (HOSTNAME_T.test(host) ? { hostname: host } : { name: host }) : {}),
  };
}

function correlationOf(event: Event): { correlation_uid?: string } {
  const c = event.correlation;
  const uid = c?.request_id ?? c?.campaign_id ?? c?.grant_id ?? c?.workflow_id;
  return uid ? { correlation_uid: uid } : {};
}

function messageOf(event: Event): string {
  const what = `${event.actor.id} ${event.action} ${event.target.type} ${event.target.id}`;
  return `${what}: ${event.result}${event.reason ? ` (${event.reason})` : ''}`;
}
