// `grantflow evidence pack|list|annotate` over the REST API, and `grantflow evidence verify`, which
// needs nothing but the pack and the ledger's verifier key: an auditor runs it on their own machine.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readPackEntry, verifyPack } from '../../evidence/verify.js';
import { type ApiOptions, connectApi, withApiOptions } from '../api-client.js';
import { formatTime, printJson, printList } from '../format.js';

type PackBody = {
  id: string;
  framework: string;
  period: string;
  controls: string[];
  requestedBy: string;
  status: 'requested' | 'building' | 'ready' | 'failed';
  progress: { step: string; done?: number; total?: number } | null;
  sha256: string | null;
  bytes: number | null;
  error: string | null;
  createdAt: string;
};

const POLL_MS = 500;

function progressLine(pack: PackBody): string {
  if (pack.status === 'requested') return 'requested: waiting for a worker to start it';
  if (pack.status === 'ready' || pack.status === 'failed') return pack.status;
  const step = pack.progress?.step ?? pack.status;
  const count = pack.progress?.total ? ` (${(pack.progress.done ?? 0) + 1}/${pack.progress.total})` : '';
  return `${pack.status}: ${step}${count}`;
}

/** A key given as text, or as the path of a file holding it. */
function keyFrom(value: string): string {
  return existsSync(value) ? readFileSync(value, 'utf8').trim() : value.trim();
}

/** Registers `evidence`. */
export function registerEvidenceCommands(program: Command): void {
  const evidence = program
    .command('evidence')
    .description('Evidence packs per control and period, and their offline check (auditors, admins)');

  withApiOptions(
    evidence
      .command('pack')
      .description('Build an evidence pack for a framework and period, show its progress and download it')
      .requiredOption('--framework <framework>', 'soc2 or iso27001')
      .requiredOption('--period <period>', 'a quarter (2026-Q4) or a month (2026-11)')
      .option('--control <id>', 'one control only (CC6.2, A.5.15)')
      .option('--out <file>', 'where to write the zip (default evidence-<framework>-<period>.zip)')
      .option('--no-wait', 'ask for it and return at once; download it later with --id')
      .option('--id <pack>', 'download a pack asked for earlier instead of asking for a new one'),
  ).action(
    async (
      options: ApiOptions & {
        framework: string;
        period: string;
        control?: string;
        out?: string;
        wait: boolean;
        id?: string;
      },
    ) => {
      const api = connectApi(options);
      let pack = options.id
        ? await api.get<PackBody>(`/evidence/packs/${options.id}`)
        : await api.post<PackBody>('/evidence/packs', {
            body: {
              framework: options.framework,
              period: options.period,
              ...(options.control ? { control: options.control } : {}),
            },
          });
      if (!options.id)
        process.stderr.write(`Evidence pack ${pack.id} asked for; the request is in the ledger.\n`);
      if (!options.wait) {
        process.stdout.write(`${pack.id}\n`);
        return;
      }
      let shown = '';
      while (pack.status === 'requested' || pack.status === 'building') {
        const line = progressLine(pack);
        if (line !== shown) process.stderr.write(`  ${line}\n`);
        shown = line;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        pack = await api.get<PackBody>(`/evidence/packs/${pack.id}`);
      }
      if (pack.status === 'failed')
        throw new Error(`the evidence pack ${pack.id} failed: ${pack.error ?? 'no detail'}`);
      const bytes = await api.get<Buffer>(`/evidence/packs/${pack.id}/download`, { binary: true });
      const out =
        options.out ??
        `evidence-${pack.framework}-${pack.period}${options.control ? `-${options.control}` : ''}.zip`;
      writeFileSync(out, bytes);
      process.stdout.write(
        `${out}: ${bytes.length} bytes, sha256 ${pack.sha256}\n` +
          `Check it anywhere with: grantflow evidence verify ${out} --key <the ledger's verifier key>\n`,
      );
    },
  );

  withApiOptions(
    evidence.command('list').description('The latest evidence packs').option('--json', 'as JSON'),
  ).action(async (options: ApiOptions & { json?: boolean }) => {
    const { items } = await connectApi(options).get<{ items: PackBody[] }>('/evidence/packs');
    printList(items, {
      json: options.json,
      empty:
        'No evidence packs yet: ask for one with `grantflow evidence pack --framework soc2 --period 2026-Q4`.',
      columns: [
        ['PACK', (p) => p.id],
        ['FRAMEWORK', (p) => p.framework],
        ['PERIOD', (p) => p.period],
        ['CONTROLS', (p) => (p.controls.length ? p.controls.join(' ') : 'all')],
        ['STATUS', (p) => progressLine(p)],
        ['ASKED', (p) => formatTime(p.createdAt)],
        ['BY', (p) => p.requestedBy],
      ],
    });
  });

  withApiOptions(
    evidence
      .command('annotate')
      .description(
        "Record an exception's root cause and corrective action; packs built afterwards carry it (admin)",
      )
      .argument('<test>', 'the automated test (rubber_stamping, grant_without_prior_approval, ...)')
      .argument('<key>', "the exception's key, as the pack's tests/<test>.json lists it")
      .requiredOption('--root-cause <text>', 'why it happened')
      .requiredOption('--corrective-action <text>', 'what was done about it'),
  ).action(
    async (
      test: string,
      key: string,
      options: ApiOptions & { rootCause: string; correctiveAction: string },
    ) => {
      await connectApi(options).post('/evidence/annotations', {
        body: { test, key, rootCause: options.rootCause, correctiveAction: options.correctiveAction },
        flags: { rootCause: '--root-cause', correctiveAction: '--corrective-action' },
      });
      process.stdout.write(`Annotated ${test} ${key}; the next pack of its period carries it.\n`);
    },
  );

  evidence
    .command('verify')
    .description(
      'Check a pack offline: signature, every hash and proof, samples re-drawn from the seed, OSCAL',
    )
    .argument('<pack>', 'the pack (zip)')
    .option(
      '--key <key...>',
      "the ledger's verifier key (text or a file); get it from the operator out of band",
    )
    .option('--json', 'the report as JSON')
    .action(async (file: string, options: { key?: string[]; json?: boolean }) => {
      let keys = (options.key ?? []).map(keyFrom);
      const warnings: string[] = [];
      if (keys.length === 0) {
        const inPack = (await readPackEntry(file, 'keys/ledger-verifier.pub'))?.toString('utf8').trim();
        if (!inPack) throw new Error('no --key given and the pack holds no keys/ledger-verifier.pub');
        keys = [inPack];
        warnings.push(
          'No --key given: checked against the key inside the pack, which proves only that the pack is whole. ' +
            "Pass the ledger's verifier key you got from the operator to prove who signed it.",
        );
      }
      const result = await verifyPack(file, keys);
      if (options.json) printJson({ ...result, warnings });
      else {
        for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
        const counts = Object.entries(result.checked)
          .map(([what, n]) => `${n} ${what}`)
          .join(', ');
        if (result.ok) process.stdout.write(`${file}: intact (${counts})\n`);
        else {
          process.stdout.write(
            `${file}: NOT intact, ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}:\n`,
          );
          for (const problem of result.problems)
            process.stdout.write(`  ${problem.file}: ${problem.check}: ${problem.detail}\n`);
        }
        for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
      }
      process.exitCode = result.ok ? 0 : 1;
    });
}
