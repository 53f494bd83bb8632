import { proxyActivities } from '@temporalio/workflow';
import type { CheckpointSealResult } from '../activities/audit.js';
import type { Activities } from '../activities/index.js';

const { sealAuditCheckpoint } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 10 },
});

/**
 * Seals one signed checkpoint over the audit ledger. A Temporal Schedule runs it on an interval
 * even when nothing happened, so a silent gap in checkpoints is itself evidence.
 */
export async function auditCheckpoint(): Promise<CheckpointSealResult> {
  return sealAuditCheckpoint();
}
