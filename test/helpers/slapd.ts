// A real OpenLDAP server for the ldap connector's tests: Debian's /usr/sbin/slapd as a child
// process on 127.0.0.1, with a throwaway cn=config directory (made offline by `slapadd -n0` from an
// LDIF generated here), one mdb database under `dc=example,dc=test`, and a small base tree loaded
// offline by `slapadd -n1` before the server starts. Nothing outside its temporary folder is read
// or written except Debian's schema files and backend modules, so it runs as root and as any user
// and never meets a system slapd (Debian's package starts one on port 389; ours never uses it).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

/** The suffix every entry lives under. */
const LDAP_SUFFIX = 'dc=example,dc=test';
/** Where people are: the connector's `usersBaseDn`. */
export const LDAP_PEOPLE_DN = `ou=people,${LDAP_SUFFIX}`;
/** Where groups are. */
export const LDAP_GROUPS_DN = `ou=groups,${LDAP_SUFFIX}`;

/**
 * The account the connector binds as: allowed to write `member` of groups and to read people,
 * nothing more (see the olcAccess rules below), which is what the connector documents it needs.
 */
export const LDAP_SERVICE = { dn: `cn=grantflow,ou=services,${LDAP_SUFFIX}`, password: 'grantflow-service' };

/** People in the base tree; each may bind with `password` (and then may change no group). */
export const LDAP_PEOPLE = [
  { uid: 'dana.reyes', mail: 'dana.reyes@acme.test', name: 'Dana Reyes' },
  { uid: 'sam.okafor', mail: 'sam.okafor@acme.test', name: 'Sam Okafor' },
  { uid: 'lee.chen', mail: 'lee.chen@acme.test', name: 'Lee Chen' },
  { uid: 'ana.silva', mail: 'ana.silva@acme.test', name: 'Ana Silva' },
].map((person) => ({ ...person, dn: `uid=${person.uid},${LDAP_PEOPLE_DN}`, password: `${person.uid}-pw` }));

/**
 * The member every group keeps so groupOfNames never has to be empty (it must have one member):
 * outside `ou=people`, so the connector neither reports nor removes it. It need not exist.
 */
export const LDAP_PLACEHOLDER_MEMBER = `cn=nobody,${LDAP_SUFFIX}`;

/** Groups in the base tree: `payroll-admins` holds only the placeholder, `finance-readers` also Lee Chen. */
export const LDAP_GROUPS = {
  payrollAdmins: `cn=payroll-admins,${LDAP_GROUPS_DN}`,
  financeReaders: `cn=finance-readers,${LDAP_GROUPS_DN}`,
};

/** A running slapd; `stop()` ends it and removes its folder. */
export type Slapd = {
  url: string;
  port: number;
  rootDn: string;
  rootPassword: string;
  /** A client bound as the root DN, for arranging and inspecting the tree; unbind it when done. */
  admin(): Promise<Client>;
  stop(): Promise<void>;
};

const ROOT_DN = `cn=admin,${LDAP_SUFFIX}`;
const ROOT_PASSWORD = 'slapd-test-root';

/** Starts slapd on a free port of 127.0.0.1 with the base tree loaded; fails clearly when slapd is not installed. */
export async function startSlapd(): Promise<Slapd> {
  if (!existsSync(SLAPD) || !existsSync(SLAPADD)) {
    throw new Error(
      `OpenLDAP's slapd is not installed (${SLAPD} is missing): the ldap connector's tests need a real server. ` +
        'Install it with: sudo apt-get install slapd ldap-utils',
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'grantflow-slapd-'));
  try {
    const configDir = path.join(dir, 'slapd.d');
    mkdirSync(configDir);
    mkdirSync(path.join(dir, 'data'));
    await slapadd(['-n0', '-F', configDir], path.join(dir, 'config.ldif'), configLdif(dir));
    await slapadd(['-n1', '-F', configDir], path.join(dir, 'tree.ldif'), treeLdif());

    // The free port is only probably free by the time slapd binds it: a few tries settle a race.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const url = `ldap://127.0.0.1:${port}`;
      const child = spawn(SLAPD, ['-d', '0', '-F', configDir, '-h', `${url}/`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4_000);
      });
      try {
        await waitUntilAnswering(url, child, () => stderr);
      } catch (error) {
        await stopChild(child);
        if (attempt < 3 && /address already in use/i.test(stderr)) continue;
        throw error;
      }
      return {
        url,
        port,
        rootDn: ROOT_DN,
        rootPassword: ROOT_PASSWORD,
        async admin() {
          const client = new Client({ url, timeout: 5_000, connectTimeout: 5_000 });
          await client.bind(ROOT_DN, ROOT_PASSWORD);
          return client;
        },
        async stop() {
          await stopChild(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function slapadd(args: string[], file: string, ldif: string): Promise<void> {
  writeFileSync(file, ldif);
  try {
    await promisify(execFile)(SLAPADD, [...args, '-l', file]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`slapadd ${args.join(' ')} failed: ${stderr.trim() || String(error)}`, { cause: error });
  }
}

function configLdif(dir: string): string {
  // Debian ships the schemas as cn=config LDIF; pasting them in keeps slapadd's input one file.
  const schemas = ['core', 'cosine', 'inetorgperson'].map((name) =>
    readFileSync(path.join(SCHEMA_DIR, `${name}.ldif`), 'utf8').trim(),
  );
  return [
    entry(`cn=config`, {
      objectClass: 'olcGlobal',
      cn: 'config',
      olcPidFile: path.join(dir, 'slapd.pid'),
      olcArgsFile: path.join(dir, 'slapd.args'),
    }),
    // Debian builds the backends as modules.
    entry('cn=module{0},cn=config', {
      objectClass: 'olcModuleList',
      cn: 'module{0}',
      olcModulePath: MODULE_DIR,
      olcModuleLoad: 'back_mdb',
    }),
    entry('cn=schema,cn=config', { objectClass: 'olcSchemaConfig', cn: 'schema' }),
    ...schemas,
    entry('olcDatabase={-1}frontend,cn=config', {
      objectClass: ['olcDatabaseConfig', 'olcFrontendConfig'],
      olcDatabase: '{-1}frontend',
    }),
    entry('olcDatabase={0}config,cn=config', {
      objectClass: 'olcDatabaseConfig',
      olcDatabase: '{0}config',
      olcAccess: '{0}to * by * none',
    }),
    entry('olcDatabase={1}mdb,cn=config', {
      objectClass: ['olcDatabaseConfig', 'olcMdbConfig'],
      olcDatabase: '{1}mdb',
      olcDbDirectory: path.join(dir, 'data'),
      olcSuffix: LDAP_SUFFIX,
      olcRootDN: ROOT_DN,
      olcRootPW: ROOT_PASSWORD,
      olcDbIndex: ['objectClass eq', 'mail eq', 'uid eq', 'member eq'],
      // The connector's account may change group membership and read people; people may read
      // and change nothing; passwords are for binding only.
      olcAccess: [
        `{0}to dn.subtree="${LDAP_GROUPS_DN}" attrs=member by dn.exact="${LDAP_SERVICE.dn}" write by * read`,
        '{1}to attrs=userPassword by self write by anonymous auth by * none',
        '{2}to * by * read',
      ],
    }),
  ].join('\n\n');
}

function treeLdif(): string {
  const ou = (name: string) =>
    entry(`ou=${name},${LDAP_SUFFIX}`, { objectClass: 'organizationalUnit', ou: name });
  return [
    entry(LDAP_SUFFIX, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' }),
    ou('people'),
    ou('groups'),
    ou('services'),
    entry(LDAP_SERVICE.dn, {
      objectClass: ['organizationalRole', 'simpleSecurityObject'],
      cn: 'grantflow',
      userPassword: LDAP_SERVICE.password,
    }),
    ...LDAP_PEOPLE.map((person) =>
      entry(person.dn, {
        objectClass: 'inetOrgPerson',
        uid: person.uid,
        cn: person.name,
        sn: person.name.split(' ').at(-1) ?? person.name,
        mail: person.mail,
        userPassword: person.password,
      }),
    ),
    entry(LDAP_GROUPS.payrollAdmins, {
      objectClass: 'groupOfNames',
      cn: 'payroll-admins',
      member: LDAP_PLACEHOLDER_MEMBER,
    }),
    entry(LDAP_GROUPS.financeReaders, {
      objectClass: 'groupOfNames',
      cn: 'finance-readers',
      member: [LDAP_PLACEHOLDER_MEMBER, LDAP_PEOPLE[2]?.dn ?? ''],
    }),
  ].join('\n\n');
}

// Every value here is plain ASCII without leading spaces or colons, so no base64 is needed.
function entry(dn: string, attributes: Record<string, string | string[]>): string {
  const lines = [`dn: ${dn}`];
  for (const [name, value] of Object.entries(attributes)) {
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  }
  return lines.join('\n');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Ready means a bind as the root DN succeeds, not merely that the port is open.
async function waitUntilAnswering(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `slapd exited (${child.exitCode ?? child.signalCode}) before answering: ${stderr().trim()}`,
      );
    }
    const client = new Client({ url, timeout: 1_000, connectTimeout: 1_000 });
    try {
      await client.bind(ROOT_DN, ROOT_PASSWORD);
      await client.unbind();
      return;
    } catch (error) {
      await client.unbind().catch(() => {});
      if (Date.now() > deadline) {
        throw new Error(`slapd did not answer on ${url} within 15 s: ${stderr().trim() || String(error)}`, {
          cause: error,
        });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// SIGTERM lets slapd close the mdb environment cleanly; SIGKILL only if it hangs.
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
