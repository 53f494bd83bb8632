// The kills, in turn, while the load runs: SIGKILL a worker, the API, the Temporal dev server and
// PostgreSQL, each restarted at once (as a supervisor would) on the same data and port. For each
// the run measures how long the piece was gone, and from its return how long until the API
// acknowledged a write again and until the ledger grew again (the workers' sequencer at work).
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '../../core/net.js';
import type { ChaosClient } from './client.js';
import type { ChaosStack } from './stack.js';

/** What can be killed. */
export type KillTarget = 'worker' | 'api' | 'temporal' | 'postgres';

/** One kill and the recovery after it; times in ms, undefined when not seen within the bound. */
export type KillReport = {
  target: KillTarget;
  /** Since the load started. */
  at: number;
  /** From SIGKILL until the piece answered again (a worker: polling its task queue). */
  downMs: number;
  /** From its return until the API acknowledged the next write. */
  nextAckMs?: number;
  /** From its return until the ledger held a new entry. */
  ledgerMovedMs?: number;
};

const RECOVERY_BOUND_MS = 90_000;

async function killAndRestart(stack: ChaosStack, target: KillTarget): Promise<void> {
  switch (target) {
    case 'worker': {
      const [worker] = stack.workers;
      if (!worker) throw new Error('no worker');
      await worker.kill();
      worker.start();
      await waitUntil(async () => stack.polling(worker.pid() ?? 0), { timeoutMs: 180_000, intervalMs: 250 });
      return;
    }
    case 'api':
      await stack.api.kill();
      stack.api.start();
      await waitUntil(stack.apiAnswers, { timeoutMs: 120_000, intervalMs: 100 });
      return;
    case 'temporal':
      await stack.temporal.kill();
      await stack.temporal.restart();
      return;
    case 'postgres':
      await stack.postgres.kill();
      await stack.postgres.restart();
      return;
  }
}

async function ledgerSize(stack: ChaosStack): Promise<number> {
  const [row] = await stack.owner<{ n: number }[]>`select coalesce(max(seq), 0)::int as n from audit_ledger`;
  return row?.n ?? 0;
}

/** Resolves with the time from `since` until `seen` holds, or undefined past the bound. */
async function timeUntil(since: number, seen: () => Promise<boolean>): Promise<number | undefined> {
  try {
    await waitUntil(seen, { timeoutMs: RECOVERY_BOUND_MS, intervalMs: 100 });
    return Date.now() - since;
  } catch {
    return undefined;
  }
}

/**
 * Kills each target in turn, the first after `firstAfterMs` and each next one `everyMs` after the
 * previous kill, or as soon as the previous piece is back if that is later. Recovery is measured
 * beside the next kills, so a slow measurement never pushes a kill out of the load.
 */
export async function killInTurn(
  stack: ChaosStack,
  client: ChaosClient,
  targets: KillTarget[],
  timing: { loadStartedAt: number; firstAfterMs: number; everyMs: number },
): Promise<KillReport[]> {
  const measured: Promise<KillReport>[] = [];
  let next = timing.loadStartedAt + timing.firstAfterMs;
  for (const target of targets) {
    await sleep(Math.max(0, next - Date.now()));
    const killedAt = Date.now();
    await killAndRestart(stack, target);
    const backAt = Date.now();
    measured.push(
      (async () => {
        const sizeAtReturn = await ledgerSize(stack).catch(() => 0);
        const [nextAckMs, ledgerMovedMs] = await Promise.all([
          timeUntil(backAt, async () => client.acks.some((ack) => ack.at > backAt)),
          timeUntil(backAt, async () => (await ledgerSize(stack)) > sizeAtReturn),
        ]);
        return {
          target,
          at: killedAt - timing.loadStartedAt,
          downMs: backAt - killedAt,
          ...(nextAckMs === undefined ? {} : { nextAckMs }),
          ...(ledgerMovedMs === undefined ? {} : { ledgerMovedMs }),
        };
      })(),
    );
    next = Math.max(killedAt + timing.everyMs, Date.now());
  }
  return Promise.all(measured);
}
