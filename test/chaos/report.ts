// What the chaos run held, printed at its end: the load, the kills survived and the recovery
// after each, the ledger, and how often the clients had to retry.
import type { LedgerFigures } from './assertions.js';
import type { ChaosClient } from './client.js';
import type { KillReport } from './kills.js';
import type { CampaignLoad, Journey } from './load.js';
import type { ChaosStack } from './stack.js';

const seconds = (ms: number | undefined) => (ms === undefined ? 'not seen' : `${(ms / 1000).toFixed(1)} s`);

/** Prints the run's figures to stdout. */
export function printFigures(run: {
  startedAt: number;
  journeys: Journey[];
  campaign: CampaignLoad;
  revokedItems: number;
  kills: KillReport[];
  ledger: LedgerFigures;
  client: ChaosClient;
  stack: ChaosStack;
}): void {
  const fates = new Map<string, number>();
  for (const j of run.journeys) fates.set(j.fate, (fates.get(j.fate) ?? 0) + 1);
  const decisions = run.client.acks.filter((a) => /\/decisions$/.test(a.path)).length;
  const lines = [
    `chaos run: ${seconds(Date.now() - run.startedAt)} of load, kills and checks`,
    `requests: ${run.journeys.length} (${[...fates].map(([fate, n]) => `${n} ${fate}`).join(', ')}), ` +
      `${run.journeys.filter((j) => j.failure).length} failed`,
    `campaign: ${run.campaign.decided.length} reviewer decisions sent, ${run.revokedItems} items revoked`,
    `acknowledged writes: ${run.ledger.acknowledgedWrites} (${decisions} of them decisions), ` +
      `${run.ledger.checkedEvents} ledger events looked for`,
    `ledger: ${run.ledger.entries} entries`,
    `client retries: ${run.client.retried.connection} after connection errors, ${run.client.retried.serverError} after 5xx`,
    `kills survived: ${run.kills.length}`,
    ...run.kills.map(
      (k) =>
        `  ${k.target.padEnd(8)} at ${seconds(k.at).padStart(7)}: back after ${seconds(k.downMs)}, ` +
        `next acknowledged write ${seconds(k.nextAckMs)} later, ledger moved ${seconds(k.ledgerMovedMs)} later`,
    ),
    `processes restarted by the supervisor after exiting on their own: ${[run.stack.api, ...run.stack.workers]
      .map((p) => `${p.name} ${p.unexpectedExits()}`)
      .join(', ')}`,
  ];
  console.log(lines.join('\n'));
}
