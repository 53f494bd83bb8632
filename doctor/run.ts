// runDoctor: every check of a deployment's configuration, in the order an operator fixes them.
// The doctor looks and never repairs: it changes nothing but a probe file in the export
// directory and a probe workflow in Temporal, both removed at once.
import type { Config } from '../core/config.js';
import { auditExportDir } from '../worker/main.js';
import { type CheckOutcome, type CheckResult, failed, messageOf, skipped } from './check.js';
import { checkPostgresClock, checkTemporalClock } from './checks/clock-skew.js';
import { probeDatabase } from './checks/database.js';
import { checkExportDir } from './checks/export-dir.js';
import { checkLedgerTriggers } from './checks/ledger-triggers.js';
import { checkRuntimeRole } from './checks/runtime-role.js';
import { checkSchedules } from './checks/schedules.js';
import { checkSearchAttributes } from './checks/search-attributes.js';
import { checkSigningKey } from './checks/signing-key.js';
import { checkSlackSigning, checkSlackToken } from './checks/slack.js';
import { probeTemporal } from './checks/temporal.js';
import { locateDatabase, locateTemporal } from './locate.js';

/** What `grantflow doctor` found; `ok` when no check failed. */
export type DoctorReport = { ok: boolean; checks: CheckResult[] };

/** A check's outcome, or a failure saying it could not run. */
async function attempt(run: () => CheckOutcome | Promise<CheckOutcome>): Promise<CheckOutcome> {
  try {
    return await run();
  } catch (error) {
    return failed(
      `the check could not run: ${messageOf(error)}`,
      'fix the error above, then run `grantflow doctor` again',
    );
  }
}

/** Runs every check against the services `config` points at. */
export async function runDoctor(config: Config): Promise<DoctorReport> {
  const checks: CheckResult[] = [];
  const add = (id: string, title: string, outcome: CheckOutcome) => checks.push({ id, title, ...outcome });
  const unreachable = (what: string) => skipped(`${what} is not reachable (see above)`);

  const location = locateDatabase(config);
  const database = await probeDatabase(location);
  const sql = database.sql;
  try {
    add('database', 'PostgreSQL, as the runtime role', database.outcome);
    const ownerUrlOnly = 'ownerUrlOnly' in location && location.ownerUrlOnly;
    add(
      'runtime-role',
      'runtime role least privilege',
      sql ? await attempt(() => checkRuntimeRole(sql, ownerUrlOnly)) : unreachable('PostgreSQL'),
    );
    add(
      'ledger-triggers',
      'ledger triggers ENABLE ALWAYS',
      sql ? await attempt(() => checkLedgerTriggers(sql)) : unreachable('PostgreSQL'),
    );
    add(
      'signing-key',
      'signing key and latest checkpoint',
      sql ? await attempt(() => checkSigningKey(sql, config)) : unreachable('PostgreSQL'),
    );

    const temporal = await probeTemporal(locateTemporal(config), config);
    const { client, connection } = temporal;
    try {
      add('temporal', 'Temporal and its namespace', temporal.outcome);
      add(
        'search-attributes',
        'Temporal search attributes',
        connection
          ? await attempt(() => checkSearchAttributes(connection, config.TEMPORAL_NAMESPACE))
          : unreachable('Temporal'),
      );
      add(
        'schedules',
        'Temporal schedules',
        client ? await attempt(() => checkSchedules(client, config)) : unreachable('Temporal'),
      );
      add('slack-signing', 'Slack request signing', await attempt(() => checkSlackSigning(config)));
      add('slack-token', 'Slack bot token', await attempt(() => checkSlackToken(config)));
      add(
        'clock-postgres',
        'clock skew against PostgreSQL',
        sql ? await attempt(() => checkPostgresClock(sql)) : unreachable('PostgreSQL'),
      );
      add(
        'clock-temporal',
        'clock skew against Temporal',
        client ? await attempt(() => checkTemporalClock(client)) : unreachable('Temporal'),
      );
    } finally {
      await connection?.close();
    }
    add(
      'export-dir',
      'checkpoint export directory',
      await attempt(() => checkExportDir(auditExportDir(config))),
    );
  } finally {
    await sql?.end({ timeout: 5 });
  }
  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}
