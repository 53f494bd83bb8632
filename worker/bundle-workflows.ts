// `npm run build` and a worker's first start after a change (ensureWorkflowBundle) run this: it
// bundles the workflows for the Temporal sandbox and prints where the bundle went.
import { buildWorkflowBundle } from './workflow-bundle.js';

buildWorkflowBundle()
  .then((file) => process.stdout.write(`${file}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
