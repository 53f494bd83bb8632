// A workflow run's history measured against Temporal's limits: the campaign bench shows that a
// campaign of 100,000 items keeps item lists out of its history and payloads. And where workflows'
// time goes, from the server's timestamps: the request bench's breakdown per task kind.
import type { Client } from '@temporalio/client';
import protos from '@temporalio/proto';
import type { CampaignBenchStack } from './campaigns-stack.js';
import { percentile, progress, report } from './harness.js';

const HISTORY_EVENTS_LIMIT = 51_200;
const HISTORY_BYTES_LIMIT = 50 * 1024 * 1024;
const BLOB_BYTES_LIMIT = 2 * 1024 * 1024;

/** Event count and bytes of the workflow's current run, and its largest single event. */
export async function historyOf(stack: CampaignBenchStack, workflowId: string) {
  const handle = stack.temporal.workflow.getHandle(workflowId);
  const described = await handle.describe();
  const history = await handle.fetchHistory();
  let largest = { bytes: 0, type: '' };
  let bytes = 0;
  const activities = new Map<string, number>();
  for (const event of history.events ?? []) {
    const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (activity) activities.set(activity, (activities.get(activity) ?? 0) + 1);
    const size = protos.temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
    bytes += size;
    if (size > largest.bytes) {
      largest = { bytes: size, type: protos.temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? '?' };
    }
  }
  return {
    events: described.historyLength,
    bytes: described.historySize ?? bytes,
    largest,
    runId: described.runId,
    /** Activities scheduled in this run, by type. */
    activities,
  };
}

export function reportHistory(label: string, history: Awaited<ReturnType<typeof historyOf>>): void {
  report({
    name: `${label}: history events`,
    value: history.events,
    unit: 'events',
    baseline: HISTORY_EVENTS_LIMIT,
    baselineName: 'Temporal limit',
  });
  report({
    name: `${label}: history size (KB)`,
    value: history.bytes / 1024,
    unit: 'KB',
    baseline: HISTORY_BYTES_LIMIT / 1024,
    baselineName: 'Temporal limit',
  });
  report({
    name: `${label}: largest event (KB)`,
    value: history.largest.bytes / 1024,
    unit: 'KB',
    baseline: BLOB_BYTES_LIMIT / 1024,
    baselineName: 'Temporal blob limit',
  });
  progress(`${label}: largest event is ${history.largest.type} (${history.largest.bytes} bytes)`);
  // 100,000 item ids alone would be ~600 KB: anything near that means items leaked into payloads.
  if (history.largest.bytes > 64 * 1024) {
    throw new Error(
      `${label}: a ${history.largest.bytes}-byte ${history.largest.type} event; items in payloads?`,
    );
  }
}

type Timestamp = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null;
const millis = (ts: Timestamp | undefined) =>
  ts ? Number(ts.seconds?.toString() ?? 0) * 1000 + (ts.nanos ?? 0) / 1e6 : Number.NaN;

/** Time spent per kind of task, over many runs: waiting for a worker slot, and running. */
export type TaskTimings = Map<string, { queued: number[]; running: number[] }>;

/**
 * Where a workflow's time goes, from the server's own timestamps in its history: for each activity
 * type and for workflow tasks, scheduled → started (waiting for a poller and a free slot) and
 * started → closed (running on the worker).
 */
export async function taskTimings(client: Client, workflowIds: readonly string[]): Promise<TaskTimings> {
  const timings: TaskTimings = new Map();
  const add = (kind: string, queued: number, running: number) => {
    const entry = timings.get(kind) ?? { queued: [], running: [] };
    entry.queued.push(queued);
    entry.running.push(running);
    timings.set(kind, entry);
  };
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    // Scheduled events by id: the started and closed events point back at them.
    const scheduled = new Map<string, { kind: string; at: number; startedAt?: number }>();
    for (const event of history.events ?? []) {
      const at = millis(event.eventTime as Timestamp);
      const id = event.eventId?.toString() ?? '';
      const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
      if (activity) scheduled.set(id, { kind: `activity ${activity}`, at });
      if (event.workflowTaskScheduledEventAttributes) scheduled.set(id, { kind: 'workflow task', at });
      const startedOf =
        event.activityTaskStartedEventAttributes?.scheduledEventId ??
        event.workflowTaskStartedEventAttributes?.scheduledEventId;
      const started = startedOf ? scheduled.get(startedOf.toString()) : undefined;
      if (started) started.startedAt = at;
      const closedOf =
        event.activityTaskCompletedEventAttributes?.scheduledEventId ??
        event.workflowTaskCompletedEventAttributes?.scheduledEventId;
      const closed = closedOf ? scheduled.get(closedOf.toString()) : undefined;
      if (closed?.startedAt !== undefined)
        add(closed.kind, closed.startedAt - closed.at, at - closed.startedAt);
    }
  }
  return timings;
}

/** Prints task timings on stderr, p50 / p99 ms, busiest kinds first. */
export function reportTaskTimings(label: string, timings: TaskTimings): void {
  progress(`${label}: scheduled → started (queued) and started → closed (running), p50 / p99 ms:`);
  const rows = [...timings.entries()].sort((a, b) => b[1].queued.length - a[1].queued.length);
  for (const [kind, { queued, running }] of rows) {
    const pair = (values: number[]) =>
      `${percentile(values, 50).toFixed(0).padStart(5)} / ${percentile(values, 99).toFixed(0).padStart(5)}`;
    progress(
      `  ${kind.padEnd(40)} ×${String(queued.length).padEnd(6)} queued ${pair(queued)}   running ${pair(running)}`,
    );
  }
}
