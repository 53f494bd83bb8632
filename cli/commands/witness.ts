import path from 'node:path';
import type { Command } from 'commander';
import { serveWitness } from '../../audit/witness/server.js';
import { initWitnessState, loadWitnessKey } from '../../audit/witness/state.js';
import { ValidationError } from '../../core/errors.js';
import { cliContext } from '../context.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `grantflow witness init | public-key | serve`: a tlog witness with its own key and state. */
export function registerWitnessCommands(program: Command): void {
  const witness = program
    .command('witness')
    .description(
      'A transparency-log witness (C2SP tlog-witness) with its own key and state, meant for another machine',
    );

  witness
    .command('init')
    .description('Create the witness key (mode 0600) and the logs it trusts in a state directory')
    .requiredOption('--state <dir>', 'the state directory to create')
    .requiredOption('--name <name>', 'the witness name, a schema-less URL such as witness.example.com/w1')
    .requiredOption(
      '--log <verifier key>',
      "a log's verifier key (grantflow audit public-key); repeatable",
      collect,
      [],
    )
    .option('--origin <origin>', "the log's checkpoint origin (default: the key's name)")
    .action((options: { state: string; name: string; log: string[]; origin?: string }) => {
      const key = initWitnessState(path.resolve(options.state), {
        name: options.name,
        logKeys: options.log,
        ...(options.origin ? { origin: options.origin } : {}),
      });
      process.stdout.write(`${key.verifierKey}\n`);
      process.stderr.write(`witness ${key.name} created in ${options.state}\n`);
    });

  witness
    .command('public-key')
    .description("Print the witness's verifier key in the C2SP vkey form (type 0x04)")
    .requiredOption('--state <dir>', 'the state directory')
    .action((options: { state: string }) => {
      process.stdout.write(`${loadWitnessKey(path.resolve(options.state)).verifierKey}\n`);
    });

  witness
    .command('serve')
    .description('Serve POST /add-checkpoint (C2SP tlog-witness) until stopped')
    .requiredOption('--state <dir>', 'the state directory')
    .requiredOption('--port <n>', 'the port to listen on')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .action(async (options: { state: string; port: string; host: string }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new ValidationError(`--port ${options.port} is not a port number`);
      }
      const { log } = cliContext('stdout');
      const running = await serveWitness(path.resolve(options.state), { host: options.host, port }, log);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.close();
      log.info('witness stopped');
    });
}
