import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';

/** A task queue no worker polls, so the probe is never run. */
const PROBE_TASK_QUEUE = 'grantflow-doctor-probe';

/** The server's clock reading and the local times around the call that made it. */
export type ServerTimeReading = { serverTime: Date; sentAt: number; answeredAt: number };

/**
 * Reads the Temporal server's clock. No read-only call carries the server's time, so this starts a
 * probe workflow (never run: no worker polls its queue), takes the start time the server stamped
 * on it, and terminates it at once; it also times out by itself within a minute.
 */
export async function readTemporalTime(client: Client): Promise<ServerTimeReading> {
  const sentAt = Date.now();
  const handle = await client.workflow.start('grantflowDoctorClockProbe', {
    taskQueue: PROBE_TASK_QUEUE,
    workflowId: `grantflow-doctor-clock-${randomUUID()}`,
    workflowExecutionTimeout: '1 minute',
  });
  const answeredAt = Date.now();
  try {
    const described = await handle.describe();
    return { serverTime: described.startTime, sentAt, answeredAt };
  } finally {
    await handle.terminate('grantflow doctor: clock probe').catch(() => undefined);
  }
}
