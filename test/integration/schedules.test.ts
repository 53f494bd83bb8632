// The schedules of a deployment in a shared namespace: each deployment (its own task queue) owns its
// own, several workers of one deployment converge on one without updating it, a changed setting
// updates it, and the shared schedules of before are retired by the deployment they point at.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectClient } from '../../temporal/connection.js';
import {
  deploymentScheduleId,
  describeQuarterlyCampaignSchedule,
  ensureCheckpointSchedule,
  ensureLogReviewSchedule,
  ensureReconciliationSchedule,
  SCHEDULE_NAMES,
} from '../../temporal/schedules.js';
import { retireSharedSchedules } from '../../temporal/shared-schedules.js';

const template = { reviewerGroup: 'security', dueDays: 10 };

describe('schedules of deployments sharing a namespace', () => {
  let client: Client;
  const created: string[] = [];
  /** A deployment of this test: a task queue of its own. */
  const deployment = () => {
    const taskQueue = `schedules-${randomUUID()}`;
    created.push(...Object.values(SCHEDULE_NAMES).map((name) => deploymentScheduleId(name, taskQueue)));
    return taskQueue;
  };
  /** What a worker start of `taskQueue` ensures, as worker/main.ts does. */
  const workerStart = async (taskQueue: string, checkpointSeconds = 300) => ({
    checkpoint: await ensureCheckpointSchedule(client, { taskQueue, everySeconds: checkpointSeconds }),
    reconciliation: await ensureReconciliationSchedule(client, { taskQueue, everySeconds: 86_400 }),
    logReview: (await ensureLogReviewSchedule(client, { taskQueue, cron: '0 9 1 * *', template })).length,
  });
  const describeSchedule = (name: (typeof SCHEDULE_NAMES)[keyof typeof SCHEDULE_NAMES], taskQueue: string) =>
    client.schedule.getHandle(deploymentScheduleId(name, taskQueue)).describe();

  beforeAll(async () => {
    const services = inject('services');
    client = await connectClient({
      address: services.temporalAddress,
      TEMPORAL_NAMESPACE: services.temporalNamespace,
    });
  });
  afterAll(async () => {
    for (const id of [...created, ...Object.values(SCHEDULE_NAMES)])
      await client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await client?.connection.close();
  });

  it('gives each deployment its own schedules, each pointing at its own task queue', async () => {
    const [a, b] = [deployment(), deployment()];

    await workerStart(a, 300);
    await workerStart(b, 60);

    for (const [queue, every] of [
      [a, 300_000],
      [b, 60_000],
    ] as const) {
      const checkpoint = await describeSchedule(SCHEDULE_NAMES.checkpoint, queue);
      expect(checkpoint.action).toMatchObject({ workflowType: 'auditCheckpoint', taskQueue: queue });
      expect(checkpoint.spec.intervals).toEqual([expect.objectContaining({ every })]);
      for (const name of [SCHEDULE_NAMES.reconciliation, SCHEDULE_NAMES.logReview])
        expect((await describeSchedule(name, queue)).action).toMatchObject({ taskQueue: queue });
    }
  });

  it('several workers of one deployment starting together make one schedule and never update it', async () => {
    const queue = deployment();

    const starts = await Promise.all(
      Array.from({ length: 4 }, () =>
        ensureCheckpointSchedule(client, { taskQueue: queue, everySeconds: 300 }),
      ),
    );
    const restarts = [await workerStart(queue), await workerStart(queue)];

    expect(starts.filter((outcome) => outcome === 'created')).toHaveLength(1);
    expect(starts.filter((outcome) => outcome === 'unchanged')).toHaveLength(3);
    expect(restarts[1]).toEqual({ checkpoint: 'unchanged', reconciliation: 'unchanged', logReview: 3 });
    for (const name of [SCHEDULE_NAMES.checkpoint, SCHEDULE_NAMES.reconciliation, SCHEDULE_NAMES.logReview])
      expect((await describeSchedule(name, queue)).info.lastUpdatedAt).toBeUndefined();
  });

  it('updates a schedule when its deployment’s setting changes, and leaves the other deployment alone', async () => {
    const [a, b] = [deployment(), deployment()];
    await workerStart(a, 300);
    await workerStart(b, 300);

    const changed = await workerStart(a, 120);
    const again = await workerStart(a, 120);

    expect(changed.checkpoint).toBe('updated');
    expect(again.checkpoint).toBe('unchanged');
    const own = await describeSchedule(SCHEDULE_NAMES.checkpoint, a);
    expect(own.spec.intervals).toEqual([expect.objectContaining({ every: 120_000 })]);
    expect(own.action).toMatchObject({ taskQueue: a });
    const other = await describeSchedule(SCHEDULE_NAMES.checkpoint, b);
    expect(other.spec.intervals).toEqual([expect.objectContaining({ every: 300_000 })]);
    expect(other.info.lastUpdatedAt).toBeUndefined();
  });

  it('turns a schedule off for one deployment only', async () => {
    const [a, b] = [deployment(), deployment()];
    await workerStart(a);
    await workerStart(b);

    expect(await ensureReconciliationSchedule(client, { taskQueue: a, everySeconds: 0 })).toBe('deleted');
    expect(await ensureReconciliationSchedule(client, { taskQueue: a, everySeconds: 0 })).toBe('absent');

    await expect(describeSchedule(SCHEDULE_NAMES.reconciliation, a)).rejects.toThrow(/not found/i);
    expect((await describeSchedule(SCHEDULE_NAMES.reconciliation, b)).action).toMatchObject({ taskQueue: b });
  });

  it('retires the shared schedules of before that point at its own queue, keeping the quarterly template', async () => {
    const [mine, theirs] = [deployment(), deployment()];
    const shared = (scheduleId: string, taskQueue: string, args: unknown[] = []) =>
      client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every: '1 hour' }] },
        action: { type: 'startWorkflow', workflowType: 'auditCheckpoint', taskQueue, args },
      });
    const quarterly = {
      launch: { name: 'Quarterly', scope: { resources: ['db'] }, dueInSeconds: 3_600, defaultAction: 'keep' },
      launchedBy: { id: 'p1', email: 'ada@acme.test', name: 'Ada' },
    };
    await shared(SCHEDULE_NAMES.checkpoint, mine);
    await shared(SCHEDULE_NAMES.quarterlyCampaign, mine, [quarterly]);
    await shared(SCHEDULE_NAMES.reconciliation, theirs);

    const retired = await retireSharedSchedules(client, mine);

    expect(retired.sort()).toEqual([SCHEDULE_NAMES.checkpoint, SCHEDULE_NAMES.quarterlyCampaign].sort());
    await expect(client.schedule.getHandle(SCHEDULE_NAMES.checkpoint).describe()).rejects.toThrow(
      /not found/i,
    );
    expect((await describeQuarterlyCampaignSchedule(client, mine))?.template).toEqual(quarterly);
    // The other deployment's is its own to retire.
    expect((await client.schedule.getHandle(SCHEDULE_NAMES.reconciliation).describe()).action).toMatchObject({
      taskQueue: theirs,
    });
    expect(await retireSharedSchedules(client, theirs)).toEqual([SCHEDULE_NAMES.reconciliation]);
  });
});
