// `npm run bench [-- suite ...]`: each figure is printed beside a baseline measured in the same
// run on the same machine, as a ratio, so results compare across machines.
import { runAuditBench } from './audit.js';
import { runCampaignsBench } from './campaigns.js';
import { runEvidenceBench } from './evidence.js';
import { runLifecycleBench } from './lifecycle.js';
import { runRequestsBench } from './requests.js';
import { runWorkerBench } from './worker.js';

const suites: Record<string, () => Promise<void>> = {
  audit: runAuditBench,
  requests: runRequestsBench,
  campaigns: runCampaignsBench,
  lifecycle: runLifecycleBench,
  evidence: runEvidenceBench,
  worker: runWorkerBench,
};

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((name) => !(name in suites));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown bench suite(s): ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}\n`,
  );
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : Object.keys(suites)) {
  process.stdout.write(`\n== ${name}\n`);
  await suites[name]?.();
}
