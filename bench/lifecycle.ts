// `npm run bench -- lifecycle`: joiners, a leaver and a reconciliation, each beside a baseline of
// the same work done plainly in the same run:
//
// 1. SCIM push (lifecycle-scim.ts): BENCH_SCIM_USERS (default 10,000) users and BENCH_SCIM_GROUPS
//    (500) groups of 20 pushed through the real SCIM service provider by 8 concurrent HTTP clients,
//    beside one plain INSERT per person, group and membership row from 8 clients.
// 2. Leaver (lifecycle-leaver.ts): one person holding BENCH_LEAVER_GRANTS (200) imported grants,
//    each with its real lifetime workflow, across a postgres, a MariaDB and an ldap target (MariaDB
//    on BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306, skipped when unreachable); from the
//    re-import that deactivates them until the leaver workflow completes with every removal read
//    back, beside the same revokes and read-backs through the same connector objects.
// 3. Reconciliation (lifecycle-reconcile.ts): a postgres role with BENCH_RECONCILE_MEMBERS
//    (100,000) members, all known people, all but BENCH_RECONCILE_ORPHANS (1,000) with a grant,
//    reconciled by the real workflow, beside a plain SELECT of the same memberships.
//
// Each part runs on a fresh embedded PostgreSQL of its own (so one part's rows never weigh on the
// next) and on one Temporal server (benchTemporal), and cleans up what it made when it ends.
// A quick check: BENCH_SCIM_USERS=500 BENCH_SCIM_GROUPS=25 BENCH_LEAVER_GRANTS=30
// BENCH_RECONCILE_MEMBERS=5000 npm run bench -- lifecycle
import pino from 'pino';
import { installTemporalRuntime } from '../worker/runtime.js';
import { benchTeardown, benchTemporal, progress } from './harness.js';
import { runLeaverPart } from './lifecycle-leaver.js';
import { runReconcilePart } from './lifecycle-reconcile.js';
import { runScimPart } from './lifecycle-scim.js';
import { runPart, sizeFromEnv, withTeardownGuards } from './lifecycle-stack.js';

/** Joiner, leaver and reconciliation figures, each beside a plain baseline. */
export async function runLifecycleBench(): Promise<void> {
  const sizes = {
    users: sizeFromEnv('BENCH_SCIM_USERS', 10_000),
    groups: sizeFromEnv('BENCH_SCIM_GROUPS', 500),
    leaverGrants: sizeFromEnv('BENCH_LEAVER_GRANTS', 200, 2),
    members: sizeFromEnv('BENCH_RECONCILE_MEMBERS', 100_000, 2),
  };
  const orphans = sizeFromEnv('BENCH_RECONCILE_ORPHANS', Math.max(1, Math.round(sizes.members / 100)));
  if (orphans >= sizes.members) throw new Error('BENCH_RECONCILE_ORPHANS must be below the member count');
  const teardown = benchTeardown();
  await withTeardownGuards(async () => {
    try {
      const temporal = await benchTemporal();
      teardown.add(temporal.stop, 'Temporal');
      progress(`Temporal: ${temporal.describe}`);
      installTemporalRuntime(pino({ level: 'warn' }, pino.destination(2)));
      const shared = { target: temporal.target };

      const took = {
        scim: await runPart(teardown, 'SCIM push', (part) => runScimPart(shared, part, sizes)),
        leaver: await runPart(teardown, 'leaver', (part) =>
          runLeaverPart(shared, part, { grants: sizes.leaverGrants }),
        ),
        reconcile: await runPart(teardown, 'reconciliation', (part) =>
          runReconcilePart(shared, part, { members: sizes.members, orphans }),
        ),
      };
      progress(
        `parts took ${Object.entries(took)
          .map(([name, seconds]) => `${name} ${seconds.toFixed(0)} s`)
          .join(', ')} (set-up and clean-up included)`,
      );
    } finally {
      await teardown.finish();
    }
  });
}
