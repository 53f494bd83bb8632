// The connector activities a workflow calls (provision, remove), paced by the grant's retry
// settings: each attempt may take `attemptTimeoutMs` before it counts as lost (a worker died
// mid-call), then backs off from `initialIntervalMs` up to `maximumIntervalMs`.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ProvisioningRetry } from './messages.js';

/** Provisioning gives up after `maximumAttempts`; a removal must happen, so it retries without a cap. */
export function connectorActivities(retry: ProvisioningRetry, options: { capped: boolean }) {
  return proxyActivities<Activities>({
    startToCloseTimeout: retry.attemptTimeoutMs,
    retry: {
      initialInterval: retry.initialIntervalMs,
      maximumInterval: retry.maximumIntervalMs,
      ...(options.capped ? { maximumAttempts: retry.maximumAttempts } : {}),
    },
  });
}
