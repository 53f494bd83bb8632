import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  CAMPAIGN_STATUSES,
  FINDING_KINDS,
  FINDING_STATUSES,
  GRANT_SOURCES,
  GRANT_STATUSES,
  LOG_REVIEW_STATUSES,
  MISSING_ACTIONS,
  MOVE_ACTIONS,
  ORPHAN_ACTIONS,
  RECONCILIATION_OUTCOMES,
  REQUEST_STATUSES,
  RISK_LEVELS,
  type RiskLevel,
  STEP_UP_SETTINGS,
} from '../domain/index.js';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** Whether a person is still employed; inactive people keep their history but can do nothing. */
export const personStatus = pgEnum('person_status', ['active', 'inactive']);
/** How dangerous an entitlement is; drives approval policy, alerts and review scope. */
export const riskLevel = pgEnum('risk_level', RISK_LEVELS);
/** An entitlement's own step-up setting; null leaves it to the policy, then to the risk level. */
export const stepUpSetting = pgEnum('step_up_setting', STEP_UP_SETTINGS);
/** Catalog entries are retired rather than deleted, so grants and the ledger keep their referents. */
export const catalogStatus = pgEnum('catalog_status', ['active', 'retired']);
/** What a bearer token may do through the API. */
export const apiRole = pgEnum('api_role', ['employee', 'admin', 'auditor']);

/** Everyone in the directory: requesters, approvers, owners, reviewers. */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    slackUserId: text('slack_user_id'),
    managerId: uuid('manager_id'),
    department: text('department'),
    title: text('title'),
    status: personStatus('status').notNull().default('active'),
    /** Who manages this person: `file` (the directory file) or `scim:<connection>`; no source rewrites another's. */
    source: text('source').notNull().default('file'),
    /** The IdP's own id for the person (SCIM `externalId`), unique per source. */
    externalId: text('external_id'),
    employeeNumber: text('employee_number'),
    /** When the person last became inactive: where the leaver SLA is measured from. */
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    /** When the person last moved (a new manager or department while active): the mover review's start. */
    movedAt: timestamp('moved_at', { withTimezone: true }),
    /** The move whose workflow has started (equal to `moved_at` once handled), so a move is handled once. */
    moveHandledAt: timestamp('move_handled_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('people_email_key').on(table.email),
    uniqueIndex('people_source_external_id_key')
      .on(table.source, table.externalId)
      .where(sql`${table.externalId} is not null`),
    check(
      'people_source_known',
      sql`${table.source} = 'file' or ${table.source} ~ '^scim:[a-z0-9][a-z0-9_-]*$'`,
    ),
    uniqueIndex('people_slack_user_id_key').on(table.slackUserId),
    index('people_manager_id_idx').on(table.managerId),
    foreignKey({
      name: 'people_manager_id_fk',
      columns: [table.managerId],
      foreignColumns: [table.id],
    }).onDelete('set null'),
    check('people_email_lowercase', sql`${table.email} = lower(${table.email})`),
  ],
);
export type Person = typeof people.$inferSelect;

/** Named sets of people ("security", "platform"), used by approval steps and policies. */
export const groups = pgTable(
  'groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /** `file` or `scim:<connection>`, as for people. */
    source: text('source').notNull().default('file'),
    externalId: text('external_id'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('groups_key_key').on(table.key),
    uniqueIndex('groups_source_external_id_key')
      .on(table.source, table.externalId)
      .where(sql`${table.externalId} is not null`),
  ],
);
export type Group = typeof groups.$inferSelect;

/** Who belongs to which group. */
export const groupMembers = pgTable(
  'group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'group_members_pkey', columns: [table.groupId, table.personId] }),
    index('group_members_person_id_idx').on(table.personId),
  ],
);
export type GroupMember = typeof groupMembers.$inferSelect;

/**
 * Versioned approval policies. The current definition is the highest version; every version is
 * kept so a decision can always be explained by the policy in force at the time.
 */
export const policies = pgTable(
  'policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    description: text('description'),
    currentVersion: integer('current_version').notNull(),
    status: catalogStatus('status').notNull().default('active'),
    ...timestamps,
  },
  (table) => [uniqueIndex('policies_key_key').on(table.key)],
);
export type Policy = typeof policies.$inferSelect;

/** One immutable version of a policy's definition. */
export const policyVersions = pgTable(
  'policy_versions',
  {
    policyId: uuid('policy_id')
      .notNull()
      .references(() => policies.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').notNull(),
    /** SHA-256 of the canonical definition: a re-import of the same policy makes no new version. */
    definitionHash: text('definition_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: 'policy_versions_pkey', columns: [table.policyId, table.version] })],
);
export type PolicyVersion = typeof policyVersions.$inferSelect;

/** What reconciliation does with access a target holds that no grant explains. */
export const orphanAction = pgEnum('orphan_action', ORPHAN_ACTIONS);
/** What reconciliation does with a grant the target does not hold. */
export const missingAction = pgEnum('missing_action', MISSING_ACTIONS);

/** What a move (new manager or department) does to the access a resource grants. */
export const moveAction = pgEnum('move_action', MOVE_ACTIONS);

/** A target system access is granted in, with the connector that provisions it. */
export const resources = pgTable(
  'resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    connectorKind: text('connector_kind').notNull(),
    connectorConfig: jsonb('connector_config').notNull().default({}),
    status: catalogStatus('status').notNull().default('active'),
    onOrphan: orphanAction('on_orphan').notNull().default('alert'),
    onMissing: missingAction('on_missing').notNull().default('alert'),
    onMove: moveAction('on_move').notNull().default('review'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('resources_key_key').on(table.key),
    index('resources_owner_id_idx').on(table.ownerId),
  ],
);
export type Resource = typeof resources.$inferSelect;

/** A role in a resource that people can request ("payments / approver"). */
export const entitlements = pgTable(
  'entitlements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => resources.id, { onDelete: 'restrict' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    riskLevel: riskLevel('risk_level').notNull(),
    /** Longest grant allowed, in seconds; the policy may be stricter. */
    maxDurationSeconds: integer('max_duration_seconds').notNull(),
    policyId: uuid('policy_id')
      .notNull()
      .references((): AnyPgColumn => policies.id, { onDelete: 'restrict' }),
    /** Connector-specific target of this entitlement (e.g. the PostgreSQL role name). */
    connectorTarget: jsonb('connector_target').notNull().default({}),
    /** Whether approving needs a passkey; null: as the policy says, else by risk (domain/step-up.ts). */
    stepUp: stepUpSetting('step_up'),
    status: catalogStatus('status').notNull().default('active'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('entitlements_resource_id_key_key').on(table.resourceId, table.key),
    index('entitlements_policy_id_idx').on(table.policyId),
    check('entitlements_max_duration_positive', sql`${table.maxDurationSeconds} > 0`),
  ],
);
export type Entitlement = typeof entitlements.$inferSelect;

/** Entitlements nobody may hold together, or only with an extra approval (separation of duties). */
export const sodRules = pgTable(
  'sod_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    description: text('description'),
    /** `resource/entitlement` keys; holding all of them at once is the conflict. */
    entitlementKeys: jsonb('entitlement_keys').$type<string[]>().notNull(),
    action: text('action').notNull(),
    /** With action `require_approval`: who approves the exception (`group:<key>` / `user:<email>`). */
    approvers: jsonb('approvers').$type<string[]>().notNull().default([]),
    status: catalogStatus('status').notNull().default('active'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('sod_rules_key_key').on(table.key),
    check('sod_rules_action_known', sql`${table.action} in ('deny', 'require_approval')`),
  ],
);
export type SodRule = typeof sodRules.$inferSelect;

/**
 * Birthright rules: standing access everyone in a department or group holds without asking. The
 * worker's sweep grants each active person what their rules name and revokes what no rule names
 * any more (identity/birthright.ts). Retired rather than deleted, so grants keep their referent.
 */
export const birthrightRules = pgTable(
  'birthright_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The rule's name in the directory file. */
    name: text('name').notNull(),
    /** Applies to active people of this department (compared without regard to case)... */
    department: text('department'),
    /** ...or to the active members of the group with this key: exactly one of the two. */
    groupKey: text('group_key'),
    /** `resource/entitlement` keys the rule gives. */
    entitlementKeys: jsonb('entitlement_keys').$type<string[]>().notNull(),
    status: catalogStatus('status').notNull().default('active'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('birthright_rules_name_key').on(table.name),
    check(
      'birthright_rules_one_condition',
      sql`(${table.department} is null) <> (${table.groupKey} is null)`,
    ),
  ],
);
export type BirthrightRule = typeof birthrightRules.$inferSelect;

/**
 * Where a request stands. The workflow is the source of truth; this column is its projection,
 * written by activities in the same transaction as the audit event that explains each change.
 */
export const requestStatus = pgEnum('request_status', REQUEST_STATUSES);

/** One person asking for one entitlement for a while; run by the `accessRequest` workflow. */
export const accessRequests = pgTable(
  'access_requests',
  {
    id: uuid('id').primaryKey(),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    entitlementId: uuid('entitlement_id')
      .notNull()
      .references(() => entitlements.id, { onDelete: 'restrict' }),
    /** Who submitted it: the requester, or an admin acting on their behalf. */
    submittedById: uuid('submitted_by_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    reason: text('reason'),
    durationSeconds: integer('duration_seconds').notNull(),
    status: requestStatus('status').notNull().default('pending'),
    /** The policy engine's decision (plan, auto-approval or denial), as the workflow received it. */
    plan: jsonb('plan'),
    /** The approval step now waiting, from 0. */
    currentStep: integer('current_step'),
    /** Why the request ended as it did, in words. */
    outcome: text('outcome'),
    grantId: uuid('grant_id'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    index('access_requests_requester_id_idx').on(table.requesterId, table.createdAt),
    index('access_requests_status_idx').on(table.status),
    index('access_requests_entitlement_id_idx').on(table.entitlementId),
    check('access_requests_duration_positive', sql`${table.durationSeconds} > 0`),
  ],
);
export type AccessRequest = typeof accessRequests.$inferSelect;

/** Every accepted approve or deny, one per approver and step. */
export const approvalDecisions = pgTable(
  'approval_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => accessRequests.id, { onDelete: 'restrict' }),
    stepIndex: integer('step_index').notNull(),
    approverId: uuid('approver_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    /** An admin who recorded the decision for the approver, when not the approver themselves. */
    actedById: uuid('acted_by_id').references(() => people.id, { onDelete: 'restrict' }),
    decision: text('decision').notNull(),
    comment: text('comment'),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('approval_decisions_request_step_approver_key').on(
      table.requestId,
      table.stepIndex,
      table.approverId,
    ),
    check('approval_decisions_decision_known', sql`${table.decision} in ('approve', 'deny')`),
  ],
);
export type ApprovalDecision = typeof approvalDecisions.$inferSelect;

/** Whether a grant still gives access, and if not, why it ended. */
export const grantStatus = pgEnum('grant_status', GRANT_STATUSES);

/** Where a grant came from: a request, an import, reconciliation or a birthright rule (GRANT_SOURCES). */
export const grantSource = pgEnum('grant_source', GRANT_SOURCES);

/** Someone holding an entitlement from a time until a time; run by the `grantLifetime` workflow. */
export const grants = pgTable(
  'grants',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    entitlementId: uuid('entitlement_id')
      .notNull()
      .references(() => entitlements.id, { onDelete: 'restrict' }),
    /** The request it came from; null for grants from an import or reconciliation. */
    requestId: uuid('request_id').references(() => accessRequests.id, { onDelete: 'restrict' }),
    status: grantStatus('status').notNull().default('active'),
    source: grantSource('source').notNull().default('request'),
    /** The birthright rule that gave it (source `birthright`); null for every other source. */
    birthrightRuleId: uuid('birthright_rule_id').references(() => birthrightRules.id, {
      onDelete: 'restrict',
    }),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    /** Null for standing access (imported without an end date): it lasts until released or revoked. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** When its `grantLifetime` workflow was started; null for an imported grant not yet handed to one. */
    lifetimeStartedAt: timestamp('lifetime_started_at', { withTimezone: true }),
    /** After provisioning: true when reading the target back showed the access; null if it cannot tell. */
    provisionVerified: boolean('provision_verified'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedById: uuid('ended_by_id').references(() => people.id, { onDelete: 'restrict' }),
    endReason: text('end_reason'),
    /** After removal: true when reading the target back showed the access gone; null if it cannot tell. */
    removalVerified: boolean('removal_verified'),
    ...timestamps,
  },
  (table) => [
    index('grants_person_id_idx').on(table.personId, table.status),
    index('grants_entitlement_id_idx').on(table.entitlementId, table.status),
    uniqueIndex('grants_request_id_key').on(table.requestId),
    index('grants_awaiting_lifetime_idx')
      .on(table.id)
      .where(sql`${table.lifetimeStartedAt} is null and ${table.status} = 'active'`),
    // A person holds an entitlement by birthright once, however many rules give it (and however
    // many sweeps race): the sweep's insert finds the first and adds nothing.
    uniqueIndex('grants_birthright_active_key')
      .on(table.personId, table.entitlementId)
      .where(sql`${table.birthrightRuleId} is not null and ${table.status} = 'active'`),
    // Compared as text: a migration may not use an enum value it adds in the same transaction.
    check(
      'grants_birthright_rule_iff_source',
      sql`(${table.source}::text = 'birthright') = (${table.birthrightRuleId} is not null)`,
    ),
  ],
);
export type Grant = typeof grants.$inferSelect;

/**
 * Slack messages grantflow posted that may need changing later (an approval card whose buttons
 * give way to the outcome, a manual task, an expiry notice): where they are, so `chat.update`
 * can rewrite them in place. One row per message.
 */
export const slackMessages = pgTable(
  'slack_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** What the message is: approval, fulfilment, grant_expiring, request_status. */
    purpose: text('purpose').notNull(),
    requestId: uuid('request_id').references(() => accessRequests.id, { onDelete: 'restrict' }),
    grantId: uuid('grant_id').references(() => grants.id, { onDelete: 'restrict' }),
    recipientEmail: text('recipient_email').notNull(),
    channel: text('channel').notNull(),
    ts: text('ts').notNull(),
    /** A heading the message was posted with ("Reminder: …"), kept when it is rewritten. */
    heading: text('heading'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('slack_messages_channel_ts_key').on(table.channel, table.ts),
    index('slack_messages_request_id_idx').on(table.requestId),
    index('slack_messages_grant_id_idx').on(table.grantId),
  ],
);
export type SlackMessageRow = typeof slackMessages.$inferSelect;

/** API bearer tokens; only a SHA-256 of the secret is stored, the token is shown once. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: apiRole('role').notNull(),
    /** First characters of the token, so a person can tell tokens apart without the secret. */
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('api_tokens_token_hash_key').on(table.tokenHash),
    index('api_tokens_person_id_idx').on(table.personId),
  ],
);
export type ApiToken = typeof apiTokens.$inferSelect;

/**
 * Where a campaign stands: `launching` while the population is snapshotted and assigned,
 * `reviewing` until the due date, `enforcing` while default actions and revocations run,
 * `awaiting_signoff` once every item is settled, `closed` after the admin signed off.
 */
export const campaignStatus = pgEnum('campaign_status', CAMPAIGN_STATUSES);
/** Who reviews an item first; nobody reviews their own access, whatever the rule. */
export const campaignReviewerRule = pgEnum('campaign_reviewer_rule', ['manager', 'resource_owner', 'person']);
/** What happens at the due date to items nobody decided. */
export const campaignDefaultAction = pgEnum('campaign_default_action', ['revoke', 'keep', 'escalate']);
/** A reviewer's verdict on one grant. */
export const campaignDecision = pgEnum('campaign_decision', ['keep', 'revoke']);
/** Who made a decision: the item's reviewer, the campaign's default action, or an admin overriding. */
export const campaignDecisionSource = pgEnum('campaign_decision_source', [
  'reviewer',
  'default_action',
  'admin',
]);
/**
 * How taking a revoked grant away went: `pending` until the grant's lifetime has deprovisioned it,
 * then `verified` (read back from the target), `unverified` (removed, but the connector cannot read
 * back), `failed`, or `not_needed` (the grant had already ended).
 */
export const campaignRevocationStatus = pgEnum('campaign_revocation_status', [
  'pending',
  'verified',
  'unverified',
  'failed',
  'not_needed',
]);

/** Which grants a campaign covers; every list narrows, an absent list does not (see db/queries/campaigns.ts). */
export type CampaignScope = {
  resources?: string[];
  /** `resource/entitlement` keys. */
  entitlements?: string[];
  riskLevels?: RiskLevel[];
  departments?: string[];
  /** Only the access of these people (emails): a mover's review. */
  holders?: string[];
  /** Only grants that make up an open separation-of-duties finding. */
  sodFindings?: boolean;
};

/**
 * A certification run over a scope of grants, run by the `campaign` workflow. The population is
 * attested by its count and SHA-256 (campaigns/snapshot.ts); the items themselves are rows of
 * `campaign_items`, never workflow payloads.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    status: campaignStatus('status').notNull().default('launching'),
    scope: jsonb('scope').$type<CampaignScope>().notNull().default({}),
    reviewerRule: campaignReviewerRule('reviewer_rule').notNull().default('manager'),
    /** The named reviewer when the rule is `person`. */
    reviewerPersonId: uuid('reviewer_person_id').references(() => people.id, { onDelete: 'restrict' }),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** How often a reviewer with undecided items is reminded. */
    reminderEverySeconds: integer('reminder_every_seconds').notNull(),
    /** How long a reviewer may hold undecided items before they go up to the reviewer's manager. */
    escalateAfterSeconds: integer('escalate_after_seconds').notNull(),
    defaultAction: campaignDefaultAction('default_action').notNull(),
    /** Whether a reviewer may change a decision before the campaign closes. */
    allowChanges: boolean('allow_changes').notNull().default(false),
    /**
     * The period a scheduled run covers (`2026-Q4`), or the move a mover review covers
     * (`mover:<person>:<moved at>`); unique, so a retried launch never makes a second one.
     */
    periodKey: text('period_key'),
    /** Filled once the snapshot is complete; null while launching. */
    populationCount: integer('population_count'),
    populationSha256: text('population_sha256'),
    launchedById: uuid('launched_by_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    launchedAt: timestamp('launched_at', { withTimezone: true }).notNull().defaultNow(),
    signedOffById: uuid('signed_off_by_id').references(() => people.id, { onDelete: 'restrict' }),
    signedOffAt: timestamp('signed_off_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    workflowId: text('workflow_id'),
    ...timestamps,
  },
  (table) => [
    // NULLs are distinct in a unique index, so only scheduled runs (which carry a period) collide.
    uniqueIndex('campaigns_period_key_key').on(table.periodKey),
    index('campaigns_status_idx').on(table.status, table.launchedAt),
    check(
      'campaigns_reviewer_person_iff_rule',
      sql`(${table.reviewerRule} = 'person') = (${table.reviewerPersonId} is not null)`,
    ),
    check(
      'campaigns_durations_positive',
      sql`${table.reminderEverySeconds} > 0 and ${table.escalateAfterSeconds} > 0`,
    ),
    check(
      'campaigns_population_sha256_hex',
      sql`${table.populationSha256} is null or ${table.populationSha256} ~ '^[0-9a-f]{64}$'`,
    ),
    check(
      'campaigns_population_complete',
      sql`(${table.populationCount} is null) = (${table.populationSha256} is null)`,
    ),
  ],
);
export type Campaign = typeof campaigns.$inferSelect;

/**
 * One grant under review in one campaign. `reviewer_id` is who must decide now (after delegation
 * or escalation); `original_reviewer_id` and `assignment_reason` explain the first assignment.
 */
export const campaignItems = pgTable(
  'campaign_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'restrict' }),
    grantId: uuid('grant_id')
      .notNull()
      .references(() => grants.id, { onDelete: 'restrict' }),
    holderId: uuid('holder_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    entitlementId: uuid('entitlement_id')
      .notNull()
      .references(() => entitlements.id, { onDelete: 'restrict' }),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    originalReviewerId: uuid('original_reviewer_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    /** Why this reviewer: `manager`, `self_review:manager_of_manager`, `inactive_reviewer:resource_owner`, ... */
    assignmentReason: text('assignment_reason').notNull(),
    decision: campaignDecision('decision'),
    decidedById: uuid('decided_by_id').references(() => people.id, { onDelete: 'restrict' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
    decisionSource: campaignDecisionSource('decision_source'),
    /** The reviewer who handed this item on, and when. */
    delegatedFromId: uuid('delegated_from_id').references(() => people.id, { onDelete: 'restrict' }),
    delegatedAt: timestamp('delegated_at', { withTimezone: true }),
    /** When the item went up to the overdue reviewer's manager. */
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    revocationStatus: campaignRevocationStatus('revocation_status'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Why the revocation failed, in words, for the report. */
    revocationError: text('revocation_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // A retried snapshot activity inserts the same rows again: this makes it a no-op.
    uniqueIndex('campaign_items_campaign_grant_key').on(table.campaignId, table.grantId),
    // A reviewer's items, undecided first, then by id: the Slack review view and reviewer progress.
    index('campaign_items_reviewer_idx').on(
      table.campaignId,
      table.reviewerId,
      sql`(${table.decision} is not null)`,
      table.id,
    ),
    // What is still open, paged by id: reminders, escalation and the default action.
    index('campaign_items_undecided_idx')
      .on(table.campaignId, table.id)
      .where(sql`${table.decision} is null`),
    // Denied grants whose removal is not finished, paged by id.
    index('campaign_items_revocation_idx')
      .on(table.campaignId, table.id)
      .where(sql`${table.revocationStatus} = 'pending'`),
    check(
      'campaign_items_decision_complete',
      sql`(${table.decision} is null) = (${table.decidedAt} is null) and (${table.decision} is null) = (${table.decisionSource} is null)`,
    ),
    check(
      'campaign_items_revocation_only_when_revoked',
      sql`${table.revocationStatus} is null or ${table.decision} = 'revoke'`,
    ),
  ],
);
export type CampaignItem = typeof campaignItems.$inferSelect;

/** Raw bytes (hashes); drizzle has no built-in bytea. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Where every writer drops audit events: an insert with an idempotency key, `ON CONFLICT DO
 * NOTHING`, no lock. The sequencer moves rows into the ledger and stamps `seq` here.
 */
export const auditIntake = pgTable(
  'audit_intake',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    idempotencyKey: text('idempotency_key').notNull(),
    eventId: uuid('event_id').notNull(),
    event: jsonb('event').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** The ledger position this event got; null until sequenced. */
    seq: bigint('seq', { mode: 'number' }),
  },
  (table) => [
    uniqueIndex('audit_intake_idempotency_key_key').on(table.idempotencyKey),
    index('audit_intake_pending_idx').on(table.id).where(sql`${table.seq} is null`),
  ],
);
export type AuditIntakeRow = typeof auditIntake.$inferSelect;

/**
 * The append-only, hash-chained ledger. `seq` is dense from 1 and commit order equals seq order
 * (assigned under an advisory lock, never by a sequence). `leaf_hash` = SHA-256(0x00 ‖ canonical
 * entry) and `chain_hash` = SHA-256(previous chain ‖ leaf). Triggers refuse UPDATE, DELETE and
 * TRUNCATE, and the runtime role may only INSERT and SELECT.
 */
export const auditLedger = pgTable(
  'audit_ledger',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    eventType: text('event_type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'string' }).notNull(),
    event: jsonb('event').notNull(),
    leafHash: bytea('leaf_hash').notNull(),
    chainHash: bytea('chain_hash').notNull(),
  },
  (table) => [
    uniqueIndex('audit_ledger_idempotency_key_key').on(table.idempotencyKey),
    index('audit_ledger_event_id_idx').on(table.eventId),
    index('audit_ledger_event_type_idx').on(table.eventType, table.seq),
    index('audit_ledger_occurred_at_idx').on(table.occurredAt),
    // An evidence pack follows one request, grant, campaign or target through the whole ledger.
    index('audit_ledger_request_id_idx').on(sql`(${table.event}->'correlation'->>'request_id')`),
    index('audit_ledger_grant_id_idx').on(sql`(${table.event}->'correlation'->>'grant_id')`),
    index('audit_ledger_campaign_id_idx').on(sql`(${table.event}->'correlation'->>'campaign_id')`),
    index('audit_ledger_target_id_idx').on(sql`(${table.event}->'target'->>'id')`),
  ],
);
export type AuditLedgerRow = typeof auditLedger.$inferSelect;

/**
 * Signed checkpoints: the RFC 6962 Merkle root over the first `tree_size` leaves, as a C2SP
 * signed note. `frontier` lets the next checkpoint extend the tree in O(new entries).
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoint',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    treeSize: bigint('tree_size', { mode: 'number' }).notNull(),
    rootHash: bytea('root_hash').notNull(),
    /** chain_hash of entry `tree_size` (32 zero bytes for an empty ledger). */
    chainHead: bytea('chain_head').notNull(),
    frontier: jsonb('frontier').notNull(),
    note: text('note').notNull(),
    keyId: text('key_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('audit_checkpoint_tree_size_idx').on(table.treeSize)],
);
export type AuditCheckpointRow = typeof auditCheckpoints.$inferSelect;

/**
 * Witnesses' cosignatures of checkpoints (C2SP tlog-cosignature lines), append-only like the
 * checkpoints they cover. The newest one per witness says which size it last cosigned.
 */
export const auditCosignatures = pgTable(
  'audit_cosignature',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    checkpointId: bigint('checkpoint_id', { mode: 'number' })
      .notNull()
      .references(() => auditCheckpoints.id),
    witnessName: text('witness_name').notNull(),
    witnessKeyId: text('witness_key_id').notNull(),
    /** The note signature line, without its newline, exactly as the witness sent it. */
    line: text('line').notNull(),
    /** The time inside the cosignature (the witness's clock). */
    cosignedAt: timestamp('cosigned_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('audit_cosignature_checkpoint_id_idx').on(table.checkpointId),
    index('audit_cosignature_witness_idx').on(table.witnessName, table.witnessKeyId, table.checkpointId),
  ],
);
export type AuditCosignatureRow = typeof auditCosignatures.$inferSelect;

/** Where a message in the outbox is: waiting (or retrying), out, or never to be sent. */
export const outboxStatus = pgEnum('outbox_status', ['pending', 'sending', 'delivered', 'moot', 'refused']);
/** Which part of a notification a row delivers (see notifications/port.ts DeliveryPart). */
export const outboxPart = pgEnum('outbox_part', ['messages', 'alerts']);

/**
 * Messages to people, written by the workflows' notify activity and drained by the worker's
 * deliverer, so that no workflow ever waits for Slack. One row per recipient: delivery is in `id`
 * order per `recipient`, and a retry never sends a message twice to the others.
 */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The activity attempt's identity plus the recipient: a retried activity enqueues nothing new. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** An email, or a channel key for messages that are not to one person. */
    recipient: text('recipient').notNull(),
    /** The notification as the workflow sent it, its `to` narrowed to this recipient. */
    notification: jsonb('notification').notNull(),
    /** The messages to this recipient, or the notification's once-only security alerts. */
    part: outboxPart('part').notNull(),
    status: outboxStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** While `sending`: when another deliverer may take the row over (its deliverer died). */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('notification_outbox_idempotency_key_key').on(table.idempotencyKey),
    index('notification_outbox_open_idx')
      .on(table.recipient, table.id)
      .where(sql`${table.status} in ('pending', 'sending')`),
  ],
);
export type NotificationOutboxRow = typeof notificationOutbox.$inferSelect;

/**
 * Stretches of time in which delivery kept failing: one row per outage, so the alert, the ledger
 * event and the health report are about the outage, not about each waiting message.
 */
export const notificationOutages = pgTable(
  'notification_outages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error').notNull(),
    /** When the outage was announced (log, alert channel, ledger); null while still short. */
    alertedAt: timestamp('alerted_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (table) => [
    // At most one open outage at a time.
    uniqueIndex('notification_outages_open_key').on(sql`(true)`).where(sql`${table.endedAt} is null`),
  ],
);
export type NotificationOutage = typeof notificationOutages.$inferSelect;

/** An IdP's SCIM connection (`okta`, `entra`): its bearer token, stored as a SHA-256 only. */
export const scimConnections = pgTable(
  'scim_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The connection's name; people it manages have the source `scim:<name>`. */
    name: text('name').notNull(),
    /** First characters of the token, to tell tokens apart without the secret. */
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('scim_connections_token_hash_key').on(table.tokenHash),
    // One live token per connection name; a revoked one stays as the record.
    uniqueIndex('scim_connections_live_name_key').on(table.name).where(sql`${table.revokedAt} is null`),
    check('scim_connections_name_format', sql`${table.name} ~ '^[a-z0-9][a-z0-9_-]*$'`),
  ],
);
export type ScimConnection = typeof scimConnections.$inferSelect;

/** How a reconciliation run ended. */
export const reconciliationOutcome = pgEnum('reconciliation_outcome', RECONCILIATION_OUTCOMES);

/** One comparison of a resource's target with its active grants. */
export const reconciliationRuns = pgTable(
  'reconciliation_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => resources.id, { onDelete: 'restrict' }),
    outcome: reconciliationOutcome('outcome').notNull().default('running'),
    workflowId: text('workflow_id').notNull(),
    /** Holdings read, grants compared, findings opened, resolved and acted on. */
    counts: jsonb('counts').notNull().default({}),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [index('reconciliation_runs_resource_idx').on(table.resourceId, table.startedAt)],
);
export type ReconciliationRun = typeof reconciliationRuns.$inferSelect;

/** What a finding is about, and whether it is still open. */
export const findingKind = pgEnum('finding_kind', FINDING_KINDS);
export const findingStatus = pgEnum('finding_status', FINDING_STATUSES);

/**
 * A difference between what a target holds and the grants, or an SoD violation on current
 * holdings. Findings are evidence: updated as they are seen again and resolved, never deleted.
 */
export const findings = pgTable(
  'findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: findingKind('kind').notNull(),
    status: findingStatus('status').notNull().default('open'),
    /** What makes two sightings the same finding (kind, resource, entitlement, account, grant or rule). */
    fingerprint: text('fingerprint').notNull(),
    resourceId: uuid('resource_id').references(() => resources.id, { onDelete: 'restrict' }),
    entitlementId: uuid('entitlement_id').references(() => entitlements.id, { onDelete: 'restrict' }),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'restrict' }),
    grantId: uuid('grant_id').references(() => grants.id, { onDelete: 'restrict' }),
    sodRuleId: uuid('sod_rule_id').references(() => sodRules.id, { onDelete: 'restrict' }),
    /** The account name as the target reports it. */
    account: text('account'),
    detail: jsonb('detail').notNull().default({}),
    firstSeenRunId: uuid('first_seen_run_id'),
    lastSeenRunId: uuid('last_seen_run_id'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** How it was resolved: `revoked`, `adopted`, `reprovisioned`, `gone` (no longer seen) or a person's reason. */
    resolution: text('resolution'),
    resolvedBy: text('resolved_by'),
  },
  (table) => [
    uniqueIndex('findings_open_fingerprint_key').on(table.fingerprint).where(sql`${table.status} = 'open'`),
    index('findings_status_idx').on(table.status, table.firstSeenAt),
    index('findings_resource_idx').on(table.resourceId),
  ],
);
export type Finding = typeof findings.$inferSelect;

/** Where an evidence pack is: asked for, being built (with progress), ready to download, or failed. */
export const evidencePackStatus = pgEnum('evidence_pack_status', [
  'requested',
  'building',
  'ready',
  'failed',
]);

/**
 * Evidence packs asked for: what (framework, period, controls), by whom, the ledger entry of the
 * request (whose recording time is the pack's "as of"), and the built file's SHA-256.
 */
export const evidencePacks = pgTable(
  'evidence_packs',
  {
    id: uuid('id').primaryKey(),
    framework: text('framework').notNull(),
    period: text('period').notNull(),
    /** Control ids; empty for every control of the framework. */
    controls: jsonb('controls').$type<string[]>().notNull().default([]),
    requestedBy: text('requested_by').notNull(),
    requestEventId: uuid('request_event_id').notNull(),
    status: evidencePackStatus('status').notNull().default('requested'),
    /** What the build is doing now, for the CLI's progress line. */
    progress: jsonb('progress').$type<{ step: string; done?: number; total?: number }>(),
    file: text('file'),
    sha256: text('sha256'),
    bytes: bigint('bytes', { mode: 'number' }),
    error: text('error'),
    ...timestamps,
  },
  (table) => [index('evidence_packs_created_at_idx').on(table.createdAt)],
);
export type EvidencePack = typeof evidencePacks.$inferSelect;

/** An admin's root cause and corrective action for one exception of an evidence test. */
export const evidenceAnnotations = pgTable(
  'evidence_annotations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    test: text('test').notNull(),
    /** The exception's key, as the test reports it (a grant id, a campaign item id, ...). */
    exceptionKey: text('exception_key').notNull(),
    rootCause: text('root_cause').notNull(),
    correctiveAction: text('corrective_action').notNull(),
    annotatedBy: text('annotated_by').notNull(),
    annotatedAt: timestamp('annotated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('evidence_annotations_test_key_idx').on(table.test, table.exceptionKey, table.annotatedAt),
  ],
);
export type EvidenceAnnotation = typeof evidenceAnnotations.$inferSelect;

/** Where a periodic log review stands: `open` while its items are reviewed, `signed_off` after. */
export const logReviewStatus = pgEnum('log_review_status', LOG_REVIEW_STATUSES);

/**
 * One month's review of the security events in the ledger (ISO 27001 A.8.15, SOC 2 CC7.2): the
 * events are snapshotted into `log_review_items` when it is opened, the reviewer group marks each
 * reviewed, and a member (or an admin) signs it off. One per period, so a retried or caught-up
 * scheduled run never opens a second.
 */
export const logReviews = pgTable(
  'log_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The month reviewed, `2026-11`. */
    period: text('period').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    /** Exclusive: the first instant of the next month. */
    periodEnd: timestamp('period_end', { withTimezone: true }).notNull(),
    status: logReviewStatus('status').notNull().default('open'),
    /** The directory group whose members review and sign off (admins may too). */
    reviewerGroup: text('reviewer_group').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    signedOffById: uuid('signed_off_by_id').references(() => people.id, { onDelete: 'restrict' }),
    signedOffAt: timestamp('signed_off_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('log_reviews_period_key').on(table.period),
    check('log_reviews_period_ordered', sql`${table.periodStart} < ${table.periodEnd}`),
    check(
      'log_reviews_signed_off_complete',
      sql`(${table.status} = 'signed_off') = (${table.signedOffAt} is not null) and (${table.signedOffAt} is null) = (${table.signedOffById} is null)`,
    ),
  ],
);
export type LogReview = typeof logReviews.$inferSelect;

/**
 * One ledger event under review: which entry (`ledger_seq`), what it was, and who reviewed it when,
 * with a note (required when action was taken). A review is final: an item is reviewed once.
 */
export const logReviewItems = pgTable(
  'log_review_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => logReviews.id, { onDelete: 'restrict' }),
    ledgerSeq: bigint('ledger_seq', { mode: 'number' }).notNull(),
    eventType: text('event_type').notNull(),
    /** Who did what to what, and how it ended, as the reviewer reads it. */
    summary: text('summary').notNull(),
    reviewedById: uuid('reviewed_by_id').references(() => people.id, { onDelete: 'restrict' }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    note: text('note'),
    actionTaken: boolean('action_taken').notNull().default(false),
  },
  (table) => [
    // A retried snapshot inserts the same rows again: this makes it a no-op.
    uniqueIndex('log_review_items_review_seq_key').on(table.reviewId, table.ledgerSeq),
    // What is still to review, paged by id: the reviewer's list and the sign-off check.
    index('log_review_items_unreviewed_idx')
      .on(table.reviewId, table.id)
      .where(sql`${table.reviewedAt} is null`),
    check(
      'log_review_items_reviewed_complete',
      sql`(${table.reviewedAt} is null) = (${table.reviewedById} is null)`,
    ),
    check(
      'log_review_items_note_when_action_taken',
      sql`not ${table.actionTaken} or (${table.reviewedAt} is not null and coalesce(btrim(${table.note}), '') <> '')`,
    ),
  ],
);
export type LogReviewItem = typeof logReviewItems.$inferSelect;

/**
 * Signed-in console sessions. The cookie holds a random 32-byte value; only its SHA-256 is stored,
 * so a read of this table cannot be replayed as a cookie. A session ends at `expires_at` (absolute)
 * or when unused past `idle_seconds`, whichever comes first.
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** The role the directory gave at sign-in. */
    role: apiRole('role').notNull(),
    /** The synchronizer token every unsafe cookie-authenticated call must echo in `x-csrf-token`. */
    csrfToken: text('csrf_token').notNull(),
    idleSeconds: integer('idle_seconds').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('console_sessions_person_id_idx').on(table.personId),
    index('console_sessions_expires_at_idx').on(table.expiresAt),
    check('console_sessions_idle_positive', sql`${table.idleSeconds} > 0`),
  ],
);
export type ConsoleSession = typeof consoleSessions.$inferSelect;

/**
 * OIDC sign-ins in flight: what the callback must check (state, nonce, PKCE verifier) and where to
 * send the person after. Keyed by the SHA-256 of a random value in a short-lived cookie; each row
 * is used once (deleted by the callback) and lives a few minutes.
 */
export const consoleSignIns = pgTable(
  'console_sign_ins',
  {
    handleHash: text('handle_hash').primaryKey(),
    state: text('state').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    returnTo: text('return_to').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('console_sign_ins_expires_at_idx').on(table.expiresAt)],
);
export type ConsoleSignIn = typeof consoleSignIns.$inferSelect;

/**
 * A person's registered passkeys (WebAuthn credentials): the public key each approval with step-up
 * is checked against. The registration itself is in the ledger (`auth.passkey.registered`), so an
 * auditor checks a decision against the ledger, not against this table.
 */
export const webauthnCredentials = pgTable(
  'webauthn_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The authenticator's credential id, base64url, as WebAuthn responses name it. */
    credentialId: text('credential_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    /** The COSE-encoded public key. */
    publicKey: bytea('public_key').notNull(),
    /** The signature counter last seen; a lower one means a cloned authenticator. */
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: jsonb('transports').$type<string[]>().notNull().default([]),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('webauthn_credentials_credential_id_key').on(table.credentialId),
    index('webauthn_credentials_person_id_idx').on(table.personId),
    check('webauthn_credentials_counter_non_negative', sql`${table.counter} >= 0`),
  ],
);
export type WebauthnCredential = typeof webauthnCredentials.$inferSelect;

/**
 * Registration challenges handed out and not yet answered: each is used once (deleted when a
 * registration answers it) and only until it expires.
 */
export const webauthnChallenges = pgTable(
  'webauthn_challenges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** base64url, as the client data echoes it. */
    challenge: text('challenge').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('webauthn_challenges_person_challenge_key').on(table.personId, table.challenge)],
);
export type WebauthnChallenge = typeof webauthnChallenges.$inferSelect;
