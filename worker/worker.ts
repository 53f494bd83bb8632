import { type NativeConnection, Worker } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities/index.js';
import { ensureWorkflowBundle } from './workflow-bundle.js';

/** What the worker needs: a Temporal connection and the activities' dependencies. */
export type WorkerInput = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
};

/**
 * Creates (does not run) a worker that hosts grantflow's workflows and activities. The workflows
 * come from the prebuilt bundle (worker/workflow-bundle.ts), made first if the sources changed.
 */
export async function createWorker(input: WorkerInput): Promise<Worker> {
  const codePath = await ensureWorkflowBundle(input.deps.log);
  return Worker.create({
    connection: input.connection,
    namespace: input.namespace,
    taskQueue: input.taskQueue,
    workflowBundle: { codePath },
    activities: createActivities(input.deps),
  });
}
