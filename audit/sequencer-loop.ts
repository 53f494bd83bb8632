import type postgres from 'postgres';
import type { Logger } from '../core/logger.js';
import { DEFAULT_BATCH_SIZE, sequenceBatch } from './sequencer.js';

/** Channel the intake trigger notifies on every insert statement. */
export const INTAKE_CHANNEL = 'grantflow_audit_intake';

/** A running sequencer; `stop()` finishes the batch in flight and returns. */
export type RunningSequencer = { stop(): Promise<void> };

/**
 * Runs the sequencer until stopped: woken by LISTEN/NOTIFY the moment events arrive, with a
 * slow poll as a safety net (a missed notification, a reconnect). Safe in every worker: the
 * advisory lock lets one batch run at a time.
 */
export async function startSequencer(
  sql: postgres.Sql,
  log: Logger,
  options: { pollMs?: number; batchSize?: number } = {},
): Promise<RunningSequencer> {
  const pollMs = options.pollMs ?? 1_000;
  let running = true;
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  const listener = await sql.listen(INTAKE_CHANNEL, poke);

  const loop = (async () => {
    let failures = 0;
    while (running) {
      try {
        const moved = await sequenceBatch(sql, options.batchSize ?? DEFAULT_BATCH_SIZE);
        failures = 0;
        if (moved > 0) log.debug({ moved }, 'audit events sequenced');
        if (moved === (options.batchSize ?? DEFAULT_BATCH_SIZE)) continue;
      } catch (error) {
        failures += 1;
        // Back off, but keep going: the next attempt starts from the committed tail.
        log.error({ err: error, failures }, 'audit sequencing failed; retrying');
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, failures > 0 ? Math.min(pollMs * 2 ** failures, 30_000) : pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    async stop() {
      running = false;
      poke();
      await loop;
      await listener.unlisten();
    },
  };
}
