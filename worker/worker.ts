import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities/index.js';

/** What the worker needs: a Temporal connection and the activities' dependencies. */
export type WorkerInput = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
};

// Resolve the workflows entry next to this file, whether we run from TypeScript sources (tsx)
// or from the compiled dist/ tree; the SDK bundles it for the workflow sandbox.
const here = fileURLToPath(import.meta.url);
const workflowsPath = path.join(path.dirname(here), '..', 'workflows', `index${path.extname(here)}`);

/** Creates (does not run) a worker that hosts grantflow's workflows and activities. */
export function createWorker(input: WorkerInput): Promise<Worker> {
  return Worker.create({
    connection: input.connection,
    namespace: input.namespace,
    taskQueue: input.taskQueue,
    workflowsPath,
    activities: createActivities(input.deps),
  });
}
