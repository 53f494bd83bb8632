// The checkpoint signing key the worker would load, and whether it signed the latest checkpoint:
// sealing extends only a checkpoint that verifies (audit/checkpoint.ts), so a swapped key stops
// every further checkpoint.
import { existsSync } from 'node:fs';
import pino from 'pino';
import type postgres from 'postgres';
import { devSigningKeyFile, type LedgerKeys, loadLedgerKeys } from '../../audit/keys.js';
import { openNote, UnverifiedNoteError } from '../../audit/signed-note.js';
import type { Config } from '../../core/config.js';
import { type CheckOutcome, failed, messageOf, passed } from '../check.js';

type KeyConfig = Pick<
  Config,
  'GRANTFLOW_AUDIT_SIGNING_KEY' | 'GRANTFLOW_AUDIT_VERIFIER_KEYS' | 'GRANTFLOW_AUDIT_ORIGIN' | 'dataDir'
>;

const KEY_FIX =
  'set GRANTFLOW_AUDIT_SIGNING_KEY to the signer key (PRIVATE+KEY+<name>+<key id>+<key>) or the path of a ' +
  'file holding it, the same for every worker, kept off the database host';

/** Loads the key as the worker does (never generating one) and opens the latest checkpoint with it. */
export async function checkSigningKey(sql: postgres.Sql, config: KeyConfig): Promise<CheckOutcome> {
  const devFile = devSigningKeyFile(config.dataDir);
  if (!config.GRANTFLOW_AUDIT_SIGNING_KEY && !existsSync(devFile)) {
    return failed(
      `no signing key: GRANTFLOW_AUDIT_SIGNING_KEY is unset and there is no development key in ${devFile} ` +
        '(a worker would generate one of its own)',
      KEY_FIX,
    );
  }
  let keys: LedgerKeys;
  try {
    keys = loadLedgerKeys(config, pino({ level: 'silent' }));
  } catch (error) {
    return failed(messageOf(error), KEY_FIX);
  }
  const current = `${keys.signer.name}+${keys.signer.keyId}`;
  const source = config.GRANTFLOW_AUDIT_SIGNING_KEY
    ? 'GRANTFLOW_AUDIT_SIGNING_KEY'
    : `the development key in ${devFile} (set GRANTFLOW_AUDIT_SIGNING_KEY in production)`;
  const [latest] = await sql<{ id: string; treeSize: string; note: string }[]>`
    select id, tree_size as "treeSize", note from audit_checkpoint order by tree_size desc, id desc limit 1`;
  if (!latest) return passed(`key ${current} from ${source}; no checkpoint is sealed yet`);
  const checkpoint = `checkpoint ${latest.id} (tree size ${latest.treeSize})`;
  try {
    const opened = openNote(latest.note, keys.verifiers);
    const signers = opened.verifiedBy.map((ref) => `${ref.name}+${ref.keyId}`);
    if (signers.includes(current))
      return passed(`key ${current} from ${source} signed the latest ${checkpoint}`);
    return passed(
      `the latest ${checkpoint} is signed by the rotated-out key ${signers.join(', ')} ` +
        `(GRANTFLOW_AUDIT_VERIFIER_KEYS); the next one will be signed by ${current} from ${source}`,
    );
  } catch (error) {
    if (error instanceof UnverifiedNoteError && error.reason === 'unknown_key') {
      const signedBy = error.unknownSignatures.map((ref) => `${ref.name}+${ref.keyId}`).join(', ');
      return failed(
        `the signing key ${current} (${source}) did not sign the latest ${checkpoint}, which is signed by ` +
          `${signedBy}: the worker will refuse to seal another checkpoint`,
        `set GRANTFLOW_AUDIT_SIGNING_KEY back to the key ${signedBy} on every worker; if you rotated to ` +
          `${current} on purpose, add the old key's verifier key (\`grantflow audit public-key\` run with it) ` +
          'to GRANTFLOW_AUDIT_VERIFIER_KEYS',
      );
    }
    return failed(
      `the latest ${checkpoint} does not verify: ${messageOf(error)}`,
      'run `grantflow audit verify` to see what was changed',
    );
  }
}
