// `grantflow scim token create|list|revoke`: SCIM connections, one per identity provider, through the
// admin API (/api/v1/scim/connections), which authenticates, authorizes and records each call.
import type { Command } from 'commander';
import { type ApiOptions, connectApi, withApiOptions } from '../api-client.js';
import { formatTime, printJson, printList } from '../format.js';

/** A connection as the API returns it. */
type ConnectionBody = {
  name: string;
  source: string;
  prefix: string;
  status: 'live' | 'revoked';
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

const NAME_FLAG = { name: '--name', 'body.name': '--name' };

/** Registers `grantflow scim token ...`. */
export function registerScimCommands(program: Command): void {
  const token = program
    .command('scim')
    .description('SCIM 2.0: identity providers (Okta, Entra ID) pushing people and groups')
    .command('token')
    .description('SCIM connection tokens (admins)');

  withApiOptions(
    token
      .command('create')
      .description('Create the connection and its bearer token; the token is printed once')
      .requiredOption(
        '--name <name>',
        'the connection, e.g. okta or entra; its people get the source scim:<name>',
      )
      .option('--json', 'the connection and token as JSON'),
  ).action(async (options: ApiOptions & { name: string; json?: boolean }) => {
    const created = await connectApi(options).post<{ connection: ConnectionBody; token: string }>(
      '/scim/connections',
      { body: { name: options.name }, flags: NAME_FLAG },
    );
    if (options.json) return printJson(created);
    process.stderr.write(
      `SCIM connection ${created.connection.name} (people and groups it pushes get the source ${created.connection.source}).\n` +
        'Base URL: <your grantflow API>/scim/v2. The token is shown only this once:\n',
    );
    process.stdout.write(`${created.token}\n`);
  });

  withApiOptions(
    token
      .command('list')
      .description('Every SCIM connection, live and revoked')
      .option('--json', 'the connections as JSON'),
  ).action(async (options: ApiOptions & { json?: boolean }) => {
    const { items } = await connectApi(options).get<{ items: ConnectionBody[] }>('/scim/connections');
    printList(items, {
      json: options.json,
      empty: 'No SCIM connections. Create one with `grantflow scim token create --name okta`.',
      columns: [
        ['NAME', (c) => c.name],
        ['STATUS', (c) => c.status],
        ['TOKEN', (c) => `${c.prefix}…`],
        ['CREATED', (c) => `${formatTime(c.createdAt)} by ${c.createdBy}`],
        ['LAST USED', (c) => formatTime(c.lastUsedAt)],
        ['REVOKED', (c) => formatTime(c.revokedAt)],
      ],
    });
  });

  withApiOptions(
    token
      .command('revoke')
      .description("Revoke a connection's token: its identity provider is refused from now on")
      .requiredOption('--name <name>', 'the connection'),
  ).action(async (options: ApiOptions & { name: string }) => {
    const { connection } = await connectApi(options).post<{ connection: ConnectionBody }>(
      `/scim/connections/${encodeURIComponent(options.name)}/revoke`,
      { flags: { ...NAME_FLAG, 'params.name': '--name' } },
    );
    process.stdout.write(
      `Revoked the token of SCIM connection ${connection.name}; its people keep the source ${connection.source}.\n`,
    );
  });
}
