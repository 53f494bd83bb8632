import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import type { Connectors } from '../connectors/index.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/client.js';
import type { Notifier } from '../notifications/port.js';
import { type AuditActivityDeps, createAuditActivities } from './audit.js';
import { createCampaignNoticeActivities } from './campaign-notices.js';
import { createCampaignRevocationActivities } from './campaign-revocations.js';
import { createCampaignScheduleActivities } from './campaign-schedule.js';
import { createCampaignActivities } from './campaigns.js';
import { createGrantActivities } from './grants.js';
import { createNotifyActivities } from './notify.js';
import { createProvisioningActivities } from './provisioning.js';
import { createRequestActivities } from './requests.js';

/** Everything activities may touch, injected so tests can pass their own (STYLE: dependency injection). */
export type ActivityDeps = {
  db: Database;
  sql: postgres.Sql;
  log: Logger;
  ledger: AuditActivityDeps['ledger'];
  connectors: Connectors;
  notifier: Notifier;
  /** Reaches other workflows (a campaign revokes through each grant's lifetime workflow). */
  temporal?: Client;
};

/**
 * All activities, grouped by domain factory. Workflows proxy `ReturnType<typeof createActivities>`.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAuditActivities(deps),
    ...createRequestActivities(deps),
    ...createProvisioningActivities(deps),
    ...createGrantActivities(deps),
    ...createNotifyActivities(deps),
    ...createCampaignActivities(deps),
    ...createCampaignNoticeActivities(deps),
    ...createCampaignRevocationActivities(deps),
    ...createCampaignScheduleActivities(deps),
  };
}

/** The activity interface workflows proxy. */
export type Activities = ReturnType<typeof createActivities>;
