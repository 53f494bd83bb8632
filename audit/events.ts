// The audit event model: the ISO 27001 data elements every ledger entry carries, mappable to
// OCSF. Writers validate here before intake, so a malformed event is refused with a precise
// error instead of being sealed into a ledger that can never be corrected.
import { z } from 'zod';
import { RISK_LEVELS } from '../domain/index.js';
import { CanonicalizationError, canonicalize, formatPath } from './canonical.js';

/** Every event type the ledger accepts, each with what it records. */
export const auditEventTypes = {
  'access.request.created': 'A person asked for an entitlement, for themselves or someone else.',
  'access.request.planned': 'The policy engine decided the approval plan (or auto-approval, or denial).',
  'access.request.approved': 'An eligible approver (or an auto-approve rule) approved a request step.',
  'access.request.denied': 'An approver, policy or separation-of-duties rule denied a request.',
  'access.request.cancelled': 'The requester withdrew a request before it was provisioned.',
  'access.request.expired': 'A request was left unanswered past its expiry and closed.',
  'access.request.escalated': 'A request step went to the escalation approvers.',
  'access.request.reminded': 'Approvers were reminded of a request awaiting them.',
  'access.request.handed_over':
    "A departed approver's place on a waiting request went to their manager or the resource owner.",
  'access.decision.refused':
    'A decision was refused: ineligible or self approval, replayed or stale click, or an approval without the passkey step-up it needs.',
  'access.action.refused':
    'A change to a request or grant (fulfil, extend, release) was refused: not allowed, or no longer possible.',
  'access.grant.provisioned': 'The target system granted the entitlement.',
  'access.grant.provisioning_retried': 'An admin asked for a failed provisioning to be tried again.',
  'access.fulfilment.requested': "A resource's owners were asked to grant or remove access by hand.",
  'access.fulfilment.completed': 'A resource owner reported a manual grant or removal done, or refused it.',
  'access.grant.reminded': 'The holder was reminded that a grant expires soon.',
  'access.grant.provisioning_failed': 'Granting the entitlement at the target system failed for good.',
  'access.grant.extended': 'A grant was given a later expiry.',
  'access.grant.released': 'The holder gave a grant back before it expired.',
  'access.grant.revoked': 'An admin or a campaign revoked a grant.',
  'access.grant.expired': 'A grant reached its expiry.',
  'access.grant.deprovisioned': 'The target system removed the entitlement.',
  'access.grant.verified': 'Reading the target back confirmed the grant state.',
  'access.grant.imported': 'Access a person already held was recorded as a grant by a directory import.',
  'access.grant.birthright':
    "A birthright rule (a department's or group's standing access) gave a person a grant, with no request or approval; details name the rule.",
  'campaign.launched': 'A certification campaign started.',
  'campaign.population.snapshot': 'The grants under review were frozen, with counts and a hash.',
  'campaign.item.kept': 'A reviewer certified that a grant should stay.',
  'campaign.item.revoked': 'A reviewer decided that a grant should be removed.',
  'campaign.item.delegated': 'A reviewer passed an item to another reviewer.',
  'campaign.decision.refused':
    'A review decision was refused: the item was decided already, delegated away, or not theirs.',
  'campaign.reminded': 'Reviewers with open items were reminded.',
  'campaign.escalated': 'Overdue items went to the escalation reviewers.',
  'campaign.default_applied': "The campaign's default action was applied to unanswered items.",
  'campaign.signed_off': 'An admin signed off the campaign results.',
  'campaign.closed': 'A campaign ended.',
  'reconciliation.run.completed': "A resource's target was read to the end and compared with its grants.",
  'reconciliation.run.target_unavailable':
    "A resource's target could not be read: nothing was compared and no finding was drawn from it.",
  'reconciliation.run.failed':
    'A reconciliation run failed for a reason other than an unreadable target; nothing was compared.',
  'reconciliation.finding.opened':
    'Reconciliation saw a difference: access held with no grant (orphan, unknown account) or a grant not held.',
  'reconciliation.finding.resolved':
    'A finding was resolved: revoked, adopted as a grant, provisioned again, gone, or closed by a person.',
  'config.directory.imported': 'Directory, catalog and policies were imported.',
  'config.policy.changed': 'A policy changed; details hold before and after.',
  'config.token.created': 'An API token was issued.',
  'config.token.revoked': 'An API token was revoked.',
  'config.scim_connection.created':
    "An identity provider's SCIM connection and its bearer token were created.",
  'config.scim_connection.revoked': "A SCIM connection's bearer token was revoked.",
  'auth.passkey.registered':
    'A person registered a passkey (WebAuthn credential); details hold its credential id and COSE public key, which step-up approvals are checked against.',
  'identity.person.created': 'An identity provider (SCIM) created a person; details hold the new record.',
  'identity.person.updated': 'An identity provider (SCIM) changed a person; details hold before and after.',
  'identity.person.deactivated':
    'An identity provider (SCIM) set a person inactive; details hold before and after.',
  'identity.person.reactivated': 'An identity provider (SCIM) set an inactive person active again.',
  'identity.person.deleted':
    'An identity provider (SCIM) deleted a person; the record is kept, inactive, for grants and the ledger.',
  'identity.leaver.started':
    'A person left: their tokens were revoked, open requests cancelled, reviews handed on, and every grant is being revoked.',
  'identity.leaver.completed':
    'Every grant of a person who left is removed; details hold the time from deactivation to the last removal.',
  'identity.leaver.sla_breached': "A leaver's access was not all removed within the leaver SLA.",
  'identity.mover.handled':
    'A person moved (new manager or department): per resource, their access went to a review by the new manager, was revoked, or was kept; details hold which.',
  'identity.group.created': 'An identity provider (SCIM) created a group; details hold the new record.',
  'identity.group.updated': 'An identity provider (SCIM) changed a group; details hold before and after.',
  'identity.group.deleted': 'An identity provider (SCIM) deleted a group and its memberships.',
  'identity.group.members_changed': "An identity provider (SCIM) added or removed a group's members.",
  'identity.change.refused':
    'An identity provider (SCIM) was refused a change: the person or group is managed by another source.',
  'audit.search.performed': 'Someone searched the audit ledger.',
  'audit.export.created': 'Someone exported part of the audit ledger.',
  'audit.verify.performed': 'The ledger was verified, with the outcome.',
  'audit.proof.created':
    'Someone took a consistency proof between two checkpoints of the ledger; details give both tree sizes.',
  'audit.checkpoint.sealed': 'A signed checkpoint over the ledger was sealed.',
  'audit.checkpoint.witness_refused':
    'A witness refused to cosign a checkpoint (a rollback, a fork, or a proof that does not verify); details give both sizes.',
  'audit.ledger.pruned':
    'Entries past the retention period were archived, verified there, and deleted below a checkpoint; details hold the range, the checkpoint, the archive manifest hash and where it is.',
  'audit.evidence.requested':
    'Someone asked for an evidence pack: framework, period, controls and sampling rule, fixed before the seed exists.',
  'audit.evidence.generated': 'An evidence pack was built; details hold its SHA-256 and what it covers.',
  'audit.evidence.annotated':
    'An admin gave an evidence-test exception its root cause and corrective action.',
  'audit.log_review.opened':
    "A month's log review was opened: the period's security events in the ledger became its items; details give the period, reviewer group, due date and count.",
  'audit.log_review.item_reviewed':
    "Items of a log review were marked reviewed, with the reviewer's note and whether action was taken; details list the item ids.",
  'audit.log_review.signed_off':
    'A log review was signed off, every item reviewed, by a member of its reviewer group or an admin.',
  'notification.delivery.degraded':
    'Messages to people (Slack) kept failing past the alert threshold: one event per outage, not per message.',
  'notification.delivery.recovered': 'Delivery of messages to people works again after an announced outage.',
  'security.slack.signature_rejected':
    'A request claiming to come from Slack had a bad signature or timestamp.',
  'security.auth.denied': 'An API call was refused for a missing, bad or insufficient token.',
  'security.requests.refused':
    'More requests of one kind (forged Slack signature, bad API token) were refused from one source within a window than were recorded one by one: one event per API process, kind, source and window, with details.count.',
  'auth.session.started':
    'A person signed in to the console through the identity provider; details give the role and the session end.',
  'auth.session.refused':
    'A console sign-in was refused: unknown, inactive or unverified email, or a failed OpenID Connect exchange.',
  'auth.session.ended': 'A person signed out of the console; their session was deleted.',
  'auth.csrf.refused':
    'A cookie-authenticated write was refused: missing or wrong CSRF token, or a request from another origin.',
} as const satisfies Record<string, string>;

/** An event type from the catalogue. */
export type AuditEventType = keyof typeof auditEventTypes;

/** The catalogue's event types, in catalogue order. */
export const auditEventTypeNames = Object.keys(auditEventTypes) as [AuditEventType, ...AuditEventType[]];

// Bounds keep one event from bloating a ledger that is never pruned; ids and names are short,
// free text (reasons, user agents) may be long.
const name = z.string().min(1).max(512);
const text = z.string().min(1).max(10_000);

const actor = z.strictObject({
  type: z.enum(['person', 'service', 'policy', 'system', 'scim']),
  id: name,
  email: z.email().optional(),
  slack_id: name.optional(),
  on_behalf_of: name.optional(),
});

const source = z.strictObject({
  service: name,
  version: name.optional(),
  host: name.optional(),
  ip: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' }).optional(),
  user_agent: text.optional(),
});

const target = z.strictObject({ type: name, id: name, name: text.optional() });

const correlation = z.strictObject({
  request_id: name.optional(),
  campaign_id: name.optional(),
  grant_id: name.optional(),
  workflow_id: name.optional(),
  run_id: name.optional(),
  slack_action_id: name.optional(),
});

// details is free-form, but it is hashed as canonical JSON: anything without a canonical form
// (NaN, a bigint, a Map) must be refused now, naming where it is.
const details = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  try {
    canonicalize(value);
  } catch (err) {
    if (!(err instanceof CanonicalizationError)) throw err;
    ctx.addIssue({ code: 'custom', path: err.path, message: err.problem });
  }
});

/** Schema of an audit event as a writer submits it; recorded_at and seq are added at sequencing. */
export const auditEventInput = z.strictObject({
  event_id: z.uuid(),
  occurred_at: z.iso.datetime({ error: 'must be an ISO-8601 UTC timestamp ending in Z' }),
  event_type: z.enum(auditEventTypeNames, {
    error: (issue) =>
      issue.input === undefined ? 'is required' : `unknown event type ${JSON.stringify(issue.input)}`,
  }),
  actor,
  source,
  target,
  action: name,
  result: z.enum(['success', 'failure', 'denied']),
  reason: text.optional(),
  correlation: correlation.optional(),
  details: details.optional(),
  risk: z.enum(RISK_LEVELS).optional(),
  business_context: text.optional(),
});

/** An audit event before validation (what writers build). */
export type AuditEventInput = z.input<typeof auditEventInput>;
/** Who did something, as recorded. */
export type AuditActor = AuditEventInput['actor'];
/** Which service and host (and for API calls, which client) an event came from. */
export type AuditSource = AuditEventInput['source'];

/** A validated audit event. */
export type AuditEvent = z.output<typeof auditEventInput>;

/** One bad field of a refused audit event. */
export interface AuditEventIssue {
  path: string;
  message: string;
}

/** An audit event failed validation; the message names every bad field. */
export class InvalidAuditEventError extends Error {
  /** Stable code for callers that map errors to responses. */
  readonly code = 'invalid_audit_event';
  /** Each bad field with what is wrong with it. */
  readonly issues: AuditEventIssue[];

  constructor(issues: AuditEventIssue[]) {
    super(`invalid audit event: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    this.name = 'InvalidAuditEventError';
    this.issues = issues;
  }
}

/** Validates an audit event, returning it typed or throwing InvalidAuditEventError. */
export function parseAuditEvent(input: unknown): AuditEvent {
  const parsed = auditEventInput.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: AuditEventIssue[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
    if (issue.code === 'unrecognized_keys') {
      // Name each unknown field rather than the object holding it.
      for (const key of issue.keys) {
        issues.push({ path: formatField([...path, key]), message: 'unknown field' });
      }
    } else {
      issues.push({ path: formatField(path), message: issue.message });
    }
  }
  throw new InvalidAuditEventError(issues);
}

function formatField(path: (string | number)[]): string {
  return path.length === 0 ? '(event)' : formatPath('', path).replace(/^\./, '');
}
