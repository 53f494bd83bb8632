import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { connectDatabase } from '../db/client.js';
import { connectWorker } from '../temporal/connection.js';
import { installTemporalRuntime } from '../worker/runtime.js';
import { createWorker } from '../worker/worker.js';

/** A polling worker; `stop()` drains in-flight tasks and closes connections. */
export type RunningWorker = { done: Promise<void>; stop(): Promise<void> };

/** Starts the Temporal worker on TEMPORAL_TASK_QUEUE with activities bound to the runtime role. */
export async function startWorker(
  config: Config,
  log: Logger,
  endpoints: { runtimeUrl: string; temporalAddress: string },
): Promise<RunningWorker> {
  const workerLog = log.child({ component: 'worker' });
  installTemporalRuntime(workerLog);
  const database = connectDatabase(endpoints.runtimeUrl, { applicationName: 'grantflow-worker' });
  const connection = await connectWorker({ ...config, address: endpoints.temporalAddress });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { db: database.db, log: workerLog },
  });
  const done = worker.run().finally(async () => {
    await connection.close();
    await database.close();
  });
  workerLog.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling');
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
