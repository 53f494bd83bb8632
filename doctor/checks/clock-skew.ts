// This host's clock against PostgreSQL's and Temporal's. Ledger entries carry the writer's time
// beside the database's, checkpoints and Slack signatures carry times too, and Temporal's timers
// decide when access expires: hosts whose clocks drift apart make all of these disagree.
import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import { readTemporalTime, type ServerTimeReading } from '../../temporal/server-time.js';
import { type CheckOutcome, failed, passed } from '../check.js';

/** Hosts kept by NTP agree within milliseconds; a second apart means no one keeps them. */
const MAX_CLOCK_SKEW_MS = 1_000;

const NTP_FIX =
  'keep every host on NTP (chrony or systemd-timesyncd; `timedatectl` shows whether the clock is synchronised)';

/**
 * How far `server` is ahead of this host, judged against the midpoint of the call: the reading
 * was taken somewhere between sending and answering, so half the round trip is the uncertainty.
 */
function judge(server: string, reading: ServerTimeReading): CheckOutcome {
  const midpoint = (reading.sentAt + reading.answeredAt) / 2;
  const skew = Math.round(reading.serverTime.getTime() - midpoint);
  const uncertainty = Math.ceil((reading.answeredAt - reading.sentAt) / 2);
  const direction = skew >= 0 ? 'ahead of' : 'behind';
  const measured = `${server}'s clock is ${Math.abs(skew)} ms ${direction} this host's (±${uncertainty} ms)`;
  if (Math.abs(skew) - uncertainty > MAX_CLOCK_SKEW_MS) {
    return failed(`${measured}, more than the ${MAX_CLOCK_SKEW_MS} ms allowed`, NTP_FIX);
  }
  return passed(measured);
}

/** `clock_timestamp()`, the server's time as the statement runs (now() is the transaction's start). */
export async function checkPostgresClock(sql: postgres.Sql): Promise<CheckOutcome> {
  await sql`select 1`; // a warm connection, so the round trip is the query's alone
  const sentAt = Date.now();
  const [row] = await sql<{ now: Date }[]>`select clock_timestamp() as now`;
  return judge('PostgreSQL', { serverTime: row!.now, sentAt, answeredAt: Date.now() });
}

/** The start time Temporal stamps on a probe workflow. */
export async function checkTemporalClock(client: Client): Promise<CheckOutcome> {
  return judge('Temporal', await readTemporalTime(client));
}
