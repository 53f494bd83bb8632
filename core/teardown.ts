/**
 * Stopping what was started, in the one order that is safe: last started, first stopped, each
 * once. A stop that fails is reported and the others still run, so one stuck piece never leaves
 * the rest (servers in processes of their own, scratch folders) behind. Dev, tests and benches
 * all bring up several pieces and share this.
 */

type Stop = () => Promise<unknown>;

export type Teardown = {
  /** Registers how to stop something just started; `name` is what the reports call it. */
  add(stop: Stop, name?: string): void;
  /** Stops everything registered, in reverse order; a second call waits for the first. */
  run(): Promise<void>;
};

export type TeardownReports = {
  /** Told before each stop (dev logs "stopping PostgreSQL"). */
  stopping?(name: string): void;
  /** Told when a stop fails; the rest go on. */
  failed(error: unknown, name: string): void;
};

export function createTeardown(reports: TeardownReports): Teardown {
  const stops: { stop: Stop; name: string }[] = [];
  let running: Promise<void> | undefined;
  return {
    add(stop, name = 'cleanup') {
      stops.push({ stop, name });
    },
    run() {
      running ??= (async () => {
        for (const { stop, name } of stops.reverse()) {
          reports.stopping?.(name);
          await stop().catch((error: unknown) => reports.failed(error, name));
        }
      })();
      return running;
    },
  };
}

/** Reports a failed stop on stderr: for benches and scripts, which have no logger. */
export const reportToStderr: TeardownReports = {
  failed: (error, name) => process.stderr.write(`  ${name}: ${String(error)}\n`),
};
