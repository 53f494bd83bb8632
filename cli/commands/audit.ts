import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { checkDecision } from '../../audit/check-decision.js';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import { parseCosignatureVerifier } from '../../audit/cosignature.js';
import { type DecisionBundle, loadDecisionBundle } from '../../audit/decision-bundle.js';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  exportHeader,
  formatExportLine,
} from '../../audit/export-format.js';
import { loadLedgerKeys, readerVerifierKeys } from '../../audit/keys.js';
import { OCSF_VERSION } from '../../audit/ocsf.js';
import { checkConsistencyBundle, checkProofBundle } from '../../audit/proof-verify.js';
import { proveConsistency, proveEvent } from '../../audit/prove.js';
import {
  type LedgerEntryView,
  ledgerFilterSchema,
  searchLedger,
  streamLedger,
  tailLedger,
} from '../../audit/read.js';
import { type LedgerReadEvent, recordLedgerRead } from '../../audit/record-read.js';
import { type NoteVerifier, parseVerifierKey } from '../../audit/signed-note.js';
import { exitCodeFor, formatVerifyReport, verifyLedger } from '../../audit/verify/index.js';
import type { Config } from '../../core/config.js';
import { ValidationError } from '../../core/errors.js';
import { currentRole, type Database } from '../../db/client.js';
import { auditExportDir, auditWitnessing } from '../../worker/main.js';
import { cliContext, withRuntimeDatabase } from '../context.js';
import { registerAuditArchiveCommand } from './audit-archive.js';

/** Who ran a CLI command, as recorded in the ledger when they read it. */
function cliActor() {
  return { type: 'system' as const, id: `cli:${os.userInfo().username}@${os.hostname()}` };
}

/** Records a CLI read of the ledger under the operating-system user who ran it. */
function recordCliRead(
  db: Database,
  eventType: LedgerReadEvent,
  action: string,
  details: Record<string, unknown>,
  result: 'success' | 'failure' = 'success',
) {
  return recordLedgerRead(db, { eventType, actor: cliActor(), action, details, result });
}

function printEntry(entry: LedgerEntryView): void {
  const event = entry.event as {
    event_type: string;
    actor: { id: string };
    target: { type: string; id: string };
    result: string;
    reason?: string;
  };
  process.stdout.write(
    `${String(entry.seq).padStart(8)}  ${entry.recorded_at}  ${event.event_type.padEnd(30)} ${event.result.padEnd(7)} ` +
      `${event.actor.id} → ${event.target.type}:${event.target.id}${event.reason ? `  (${event.reason})` : ''}\n`,
  );
}

function parseFilter(options: Record<string, string | undefined>) {
  const parsed = ledgerFilterSchema.safeParse(options);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

/** A checkpoint's tree size as typed on the command line. */
function parseTreeSize(text: string, name: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) {
    throw new ValidationError(
      `<${name}> must be a checkpoint's tree size (a whole number from 0), not "${text}"`,
    );
  }
  return Number(text);
}

/**
 * A bundle as `check-decision --out` writes it; a lone exported entry (or event) is accepted too,
 * and then lacks the registration it is checked against.
 */
function decisionBundleFromFile(file: string): DecisionBundle {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (parsed.decision && typeof parsed.decision === 'object') return parsed as unknown as DecisionBundle;
  const entry = 'event' in parsed ? parsed : { seq: 0, recorded_at: '', event: parsed };
  return { decision: entry as DecisionBundle['decision'], registration: null };
}

/** `grantflow audit ...`: read, prove, checkpoint and export the ledger. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit ledger');

  audit
    .command('verify')
    .description(
      'Recompute the whole ledger and its checkpoints; exit 0 intact, 1 tampered, 2 could not verify',
    )
    .option('--json', 'the report as JSON')
    .option('--since <seq>', 'row-level checks from this seq on (roots are still recomputed from 1)')
    .option(
      '--export-dir <dir>',
      'the exported checkpoint notes to compare with (default: GRANTFLOW_AUDIT_EXPORT_DIR, else <data dir>/audit-checkpoints)',
    )
    .option('--archive <dir>', 'also verify the archived (pruned) segments in this directory')
    .option(
      '--key <verifier-key...>',
      "verifier key(s) to check checkpoints with; default: this installation's keys",
    )
    .option(
      '--witnesses <n>',
      'fail unless the latest checkpoint carries valid cosignatures of n distinct witnesses',
    )
    .option(
      '--witness-key <vkey...>',
      'witness verifier key(s) (C2SP vkey, type 0x04); default: those in GRANTFLOW_AUDIT_WITNESSES',
    )
    .action(async (options: VerifyCommandOptions) => {
      const since = options.since === undefined ? undefined : Number(options.since);
      if (since !== undefined && (!Number.isInteger(since) || since < 1)) {
        throw new ValidationError('--since must be a ledger seq (a whole number from 1)');
      }
      const context = cliContext();
      const witnesses = witnessOptions(context.config, options);
      const verifiers = parseVerifierKeys(readerVerifierKeys(context.config, context.log, options.key));
      try {
        const report = await withRuntimeDatabase(context, async ({ db, sql }) => {
          let shown = 0;
          const result = await verifyLedger(sql, {
            verifiers,
            exportDir: options.exportDir ?? auditExportDir(context.config),
            ...(options.archive ? { archiveDir: options.archive } : {}),
            since,
            runtimeRole: await currentRole(sql),
            ...(witnesses ? { witnesses } : {}),
            onProgress: (done, total) => {
              if (options.json || total < 100_000 || done - shown < 100_000) return;
              shown = done;
              process.stderr.write(
                `verified ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} entries\n`,
              );
            },
          });
          await recordCliRead(
            db,
            'audit.verify.performed',
            'verify',
            { status: result.status, entries: result.entries, findings: result.findings.length },
            result.status === 'intact' ? 'success' : 'failure',
          );
          return result;
        });
        process.stdout.write(
          options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatVerifyReport(report)}\n`,
        );
        process.exitCode = exitCodeFor(report);
      } catch (error) {
        process.stderr.write(`grantflow: could not verify the ledger: ${(error as Error).message}\n`);
        process.exitCode = 2;
      }
    });

  audit
    .command('tail')
    .description('Print the newest ledger entries')
    .option('-n, --count <n>', 'how many', '20')
    .action(async (options: { count: string }) => {
      const count = Number(options.count);
      if (!Number.isInteger(count) || count < 1 || count > 10_000)
        throw new ValidationError('--count: 1 to 10000');
      const context = cliContext();
      await withRuntimeDatabase(context, async ({ db, sql }) => {
        const entries = await tailLedger(sql, count);
        await recordCliRead(db, 'audit.search.performed', 'tail', { count, returned: entries.length });
        entries.forEach(printEntry);
      });
    });

  audit
    .command('search')
    .description('Search the ledger by actor, type, target, correlation id and time range')
    .option('--actor <id>', 'actor id, email or Slack id')
    .option('--type <event-type>', 'e.g. access.request.approved')
    .option('--target <id>', 'target id or name')
    .option('--correlation <id>', 'request, campaign, grant, workflow or Slack action id')
    .option('--from <iso>', 'occurred at or after (ISO-8601)')
    .option('--to <iso>', 'occurred before (ISO-8601)')
    .option('--limit <n>', 'most entries to print', '200')
    .option('--json', 'one JSON entry per line')
    .action(async (options: Record<string, string | undefined> & { json?: boolean }) => {
      const { limit, json, ...rest } = options;
      const filter = parseFilter(rest as Record<string, string | undefined>);
      const context = cliContext();
      await withRuntimeDatabase(context, async ({ db, sql }) => {
        const entries = await searchLedger(sql, filter, Math.min(Number(limit) || 200, 10_000));
        await recordCliRead(db, 'audit.search.performed', 'search', { filter, returned: entries.length });
        for (const entry of entries) {
          if (json) process.stdout.write(`${JSON.stringify(entry)}\n`);
          else printEntry(entry);
        }
      });
    });

  audit
    .command('export')
    .description(`Export ledger entries as evidence (jsonl, csv or OCSF ${OCSF_VERSION} for a SIEM)`)
    .requiredOption('--from <iso>', 'occurred at or after (ISO-8601)')
    .requiredOption('--to <iso>', 'occurred before (ISO-8601)')
    .option('--format <format>', EXPORT_FORMATS.join(' | '), 'jsonl')
    .option('--out <file>', 'write here instead of standard output')
    .action(async (options: { from: string; to: string; format: string; out?: string }) => {
      if (!EXPORT_FORMATS.includes(options.format as ExportFormat)) {
        throw new ValidationError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
      }
      const format = options.format as ExportFormat;
      const filter = parseFilter({ from: options.from, to: options.to });
      const context = cliContext();
      await withRuntimeDatabase(context, async ({ db, sql }) => {
        const out = options.out ? createWriteStream(options.out) : process.stdout;
        const digest = createHash('sha256');
        const write = (text: string) => {
          digest.update(text);
          out.write(text);
        };
        const header = exportHeader(format);
        if (header) write(header);
        let count = 0;
        for await (const entry of streamLedger(sql, filter)) {
          write(formatExportLine(entry, format));
          count += 1;
          if (options.out && count % 10_000 === 0) process.stderr.write(`exported ${count} entries\n`);
        }
        if (options.out)
          await new Promise((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
        const sha256 = digest.digest('hex');
        await recordCliRead(db, 'audit.export.created', 'export', { filter, format, count, sha256 });
        process.stderr.write(`exported ${count} entries (${format}, sha256 ${sha256})\n`);
      });
    });

  audit
    .command('prove')
    .description('Print an inclusion proof of one event under the newest signed checkpoint')
    .argument('<event-id>', 'the event_id of the ledger entry')
    .option('--archive <dir>', 'read pruned entries from this archive (verified first)')
    .option('--key <verifier-key...>', "verifier key(s) for the archive; default: this installation's keys")
    .action(async (eventId: string, options: { archive?: string; key?: string[] }) => {
      const context = cliContext();
      const archive = options.archive
        ? {
            dir: options.archive,
            verifiers: parseVerifierKeys(readerVerifierKeys(context.config, context.log, options.key)),
          }
        : undefined;
      const bundle = await withRuntimeDatabase(context, ({ sql }) => proveEvent(sql, eventId, archive));
      process.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
    });

  audit
    .command('prove-consistency')
    .description(
      'Print a consistency proof between two signed checkpoints: nothing the older one signed was removed or rewritten',
    )
    .argument('<from>', "the older checkpoint's tree size")
    .argument('[to]', "the newer checkpoint's tree size (default: the newest checkpoint)")
    .option('--out <file>', 'write here instead of standard output')
    .action(async (from: string, to: string | undefined, options: { out?: string }) => {
      const oldSize = parseTreeSize(from, 'from');
      const newSize = to === undefined ? undefined : parseTreeSize(to, 'to');
      const context = cliContext();
      const bundle = await withRuntimeDatabase(context, async ({ db, sql }) => {
        const proved = await proveConsistency(sql, oldSize, newSize);
        await recordCliRead(db, 'audit.proof.created', 'prove-consistency', {
          oldSize: proved.oldSize,
          newSize: proved.newSize,
        });
        return proved;
      });
      const text = `${JSON.stringify(bundle, null, 2)}\n`;
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    });

  audit
    .command('check-proof')
    .description('Check an inclusion or consistency proof offline, with only the public key')
    .argument('<file>', 'a bundle printed by grantflow audit prove or audit prove-consistency')
    .option('--key <verifier-key...>', "verifier key(s); default: this installation's keys")
    .action((file: string, options: { key?: string[] }) => {
      const { config, log } = cliContext();
      const keys = readerVerifierKeys(config, log, options.key);
      const bundle = JSON.parse(readFileSync(file, 'utf8'));
      // A consistency bundle names two checkpoints; an inclusion bundle one.
      const consistency = typeof bundle === 'object' && bundle !== null && 'newCheckpoint' in bundle;
      const result = consistency ? checkConsistencyBundle(bundle, keys) : checkProofBundle(bundle, keys);
      if (result.ok) {
        process.stdout.write(
          consistency
            ? `OK: the signed checkpoint of ${bundle.newSize} entries extends the one of ${bundle.oldSize}; nothing under it was removed or rewritten.\n`
            : 'OK: the event is included in the signed ledger checkpoint.\n',
        );
        return;
      }
      process.stdout.write(`NOT VERIFIED:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exitCode = 1;
    });

  audit
    .command('check-decision')
    .description(
      "Check offline that an approval's recorded passkey assertion was made by its approver's registered key over this very decision",
    )
    .argument('[event-id]', 'the event_id of the access.request.approved entry (read from the ledger)')
    .option('--file <bundle.json>', 'check a bundle written by --out instead, with no database')
    .option('--out <bundle.json>', 'also write the approval and registration events read, for an auditor')
    .action(async (eventId: string | undefined, options: { file?: string; out?: string }) => {
      if (!eventId === !options.file) {
        throw new ValidationError('give either <event-id> (read from the ledger) or --file <bundle.json>');
      }
      const bundle: DecisionBundle = options.file
        ? decisionBundleFromFile(options.file)
        : await withRuntimeDatabase(cliContext(), ({ sql }) => loadDecisionBundle(sql, eventId as string));
      if (options.out) writeFileSync(options.out, `${JSON.stringify(bundle, null, 2)}\n`);
      const result = checkDecision(bundle);
      const what = result.decision;
      if (result.ok && what) {
        process.stdout.write(
          `OK: ${what.approver} approved step ${what.step + 1} of request ${what.requestId} at ${what.decidedAt}, ` +
            `signed with the passkey they registered (${what.credentialId}).\n`,
        );
        return;
      }
      process.stdout.write(`NOT VERIFIED:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exitCode = 1;
    });

  audit
    .command('checkpoint')
    .description('Seal and sign a checkpoint now (the worker also does it on a schedule)')
    .action(async () => {
      const context = cliContext();
      const keys = loadLedgerKeys(context.config, context.log);
      const { witnessing } = auditWitnessing(context.config, context.log);
      const sealed = await withRuntimeDatabase(context, ({ db, sql }) =>
        sealCheckpoint(sql, keys, {
          origin: context.config.GRANTFLOW_AUDIT_ORIGIN,
          exportDir: auditExportDir(context.config),
          ...(witnessing ? { witnessing: { ...witnessing, db } } : {}),
        }),
      );
      process.stdout.write(sealed.note);
      process.stderr.write(
        `checkpoint ${sealed.id}: ${sealed.treeSize} entries, written to ${sealed.file}\n`,
      );
      for (const answer of sealed.witnesses) {
        process.stderr.write(`  witness ${answer.witness}: ${answer.outcome} (${answer.detail})\n`);
      }
      if (sealed.witnesses.some((answer) => answer.outcome === 'refused')) process.exitCode = 1;
    });

  registerAuditArchiveCommand(audit);

  audit
    .command('public-key')
    .description('Print the verifier key auditors use to check checkpoints and proofs')
    .action(() => {
      const { config, log } = cliContext();
      process.stdout.write(`${loadLedgerKeys(config, log).verifierKey}\n`);
    });
}

type VerifyCommandOptions = {
  json?: boolean;
  since?: string;
  exportDir?: string;
  archive?: string;
  key?: string[];
  witnesses?: string;
  witnessKey?: string[];
};

/** The witness check verify runs: keys from --witness-key, else GRANTFLOW_AUDIT_WITNESSES. */
function witnessOptions(config: Config, options: VerifyCommandOptions) {
  const required = options.witnesses === undefined ? 0 : Number(options.witnesses);
  if (!Number.isInteger(required) || required < 0) {
    throw new ValidationError('--witnesses must be a whole number of witnesses');
  }
  const verifiers = options.witnessKey
    ? options.witnessKey.map((key) => {
        try {
          return parseCosignatureVerifier(key);
        } catch (error) {
          throw new ValidationError(`--witness-key ${key}: ${(error as Error).message}`);
        }
      })
    : config.GRANTFLOW_AUDIT_WITNESSES.map((witness) => witness.verifier);
  if (required > verifiers.length) {
    throw new ValidationError(
      `--witnesses ${required} needs at least ${required} witness keys (--witness-key or GRANTFLOW_AUDIT_WITNESSES); ${verifiers.length} given`,
    );
  }
  return verifiers.length > 0 ? { verifiers, required } : undefined;
}

function parseVerifierKeys(keys: readonly string[]): NoteVerifier[] {
  return keys.map((key) => {
    try {
      return parseVerifierKey(key);
    } catch (error) {
      throw new ValidationError(`--key ${key}: ${(error as Error).message}`);
    }
  });
}
