// A workflow run's history measured against Temporal's limits: the campaign bench shows that a
// campaign of 100,000 items keeps item lists out of its history and payloads.
import protos from '@temporalio/proto';
import type { CampaignBenchStack } from './campaigns-stack.js';
import { progress, report } from './harness.js';

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
