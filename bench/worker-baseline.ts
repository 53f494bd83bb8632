// The baselines of `npm run bench -- worker`, each a Node process of its own that logs a pino-shaped
// `ready` line once it idles: `sdk` loads the Temporal SDK and connects to the server; `bundle` also
// runs a worker on grantflow's prebuilt workflow bundle with no activities; `webpack` runs the same
// worker but bundles the workflows at start (`workflowsPath`), as grantflow's worker used to.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { workflowBundlePath } from '../worker/workflow-bundle.js';

const mode = process.argv[2];
const address = process.env.TEMPORAL_ADDRESS ?? '';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? 'bench-worker-baseline';
const ready = () => process.stdout.write(`${JSON.stringify({ level: 30, msg: `ready (${mode})` })}\n`);

const connection = await NativeConnection.connect({ address });
if (mode === 'sdk') {
  ready();
  // Nothing else keeps the event loop alive: wait for SIGTERM as a worker would.
  const alive = setInterval(() => {}, 60_000);
  await new Promise<void>((resolve) => process.once('SIGTERM', resolve));
  clearInterval(alive);
} else if (mode === 'bundle' || mode === 'webpack') {
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(mode === 'bundle'
      ? { workflowBundle: { codePath: workflowBundlePath() } }
      : { workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)) }),
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  ready();
  await running;
} else {
  throw new Error(`unknown mode "${mode}": sdk, bundle or webpack`);
}
await connection.close();
