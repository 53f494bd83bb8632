// Applies a directory file to the database as one transaction: the file is the truth for what it lists.
// Nothing is ever deleted that something else may point at (people, policies, the catalog): those are
// deactivated or retired, so grants, decisions and the audit ledger keep their referents. Rows that
// already match are not written at all, so a re-import leaves even `updated_at` alone.
//
// The sections are applied by the importers in import/, one per section, in the order below; the
// report's types and formatting are re-exported, so callers need only this module.
import { sql, TransactionRollbackError } from 'drizzle-orm';
import { appendToIntake } from '../audit/intake.js';
import type { Database, Transaction } from '../db/client.js';
import { applyAccess } from './import/access.js';
import { directoryAuditWrites } from './import/audit.js';
import { applyBirthrightRules } from './import/birthright.js';
import { applyEntitlements, applyResources } from './import/catalog.js';
import { applyGroups } from './import/groups.js';
import { applyPeople } from './import/people.js';
import { applyPolicies } from './import/policies.js';
import { IMPORT_KINDS, type ImportKind, type ImportReport, type KindReport } from './import/report.js';
import { applySodRules } from './import/sod.js';
import type { ParsedDirectory } from './parse.js';

export {
  formatImportReport,
  IMPORT_KINDS,
  type ImportReport,
  type KindReport,
} from './import/report.js';

/** Options of `importDirectory`. */
export type ImportOptions = {
  /** Who imports, recorded on new policy versions (`cli:dana`, `api:<token id>`, ...). */
  actor: string;
  /** Compute the report inside a transaction that is then rolled back. */
  dryRun?: boolean;
  /**
   * Runs inside the import's transaction once everything is applied (not on a dry run), so audit
   * events about the change (e.g. `config.policy.changed` with before/after) commit or roll back
   * together with it. Throwing rolls the whole import back.
   */
  beforeCommit?: (tx: Transaction, report: ImportReport) => Promise<void>;
};

// Serialises concurrent imports (two admins, or the CLI racing `grantflow dev`): each compares against
// what the previous one committed. The value is arbitrary but fixed ("gf-dir" in ASCII).
const IMPORT_LOCK_KEY = 0x67662d646972;

/** Makes the database match the file in one transaction and reports every difference it applied. */
export async function importDirectory(
  db: Database,
  parsed: ParsedDirectory,
  options: ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = {
    fileName: parsed.fileName,
    sourceHash: parsed.sourceHash,
    actor: options.actor,
    dryRun: options.dryRun ?? false,
    changed: false,
    accessNotInFile: [],
    managedElsewhere: [],
    ...(Object.fromEntries(IMPORT_KINDS.map((kind) => [kind, emptyKind()])) as Record<
      ImportKind,
      KindReport
    >),
  };
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(IMPORT_LOCK_KEY))})`);
      await applyDirectory(tx, parsed, options.actor, report);
      report.changed = IMPORT_KINDS.some((kind) => {
        const { added, changed, removed, deactivated } = report[kind];
        return added.length + changed.length + removed.length + deactivated.length > 0;
      });
      // Rolling back (rather than skipping the writes) makes a dry run hit every constraint a real run would.
      if (report.dryRun) tx.rollback();
      // Recorded in the same transaction: the change and its audit trail commit together or not at all.
      if (report.changed) await appendToIntake(tx, directoryAuditWrites(report));
      await options.beforeCommit?.(tx, report);
    });
  } catch (error) {
    if (!(report.dryRun && error instanceof TransactionRollbackError)) throw error;
  }
  return report;
}

function emptyKind(): KindReport {
  return { added: [], changed: [], removed: [], deactivated: [], unchanged: 0 };
}

// Each section is applied after the ones it points at, so every reference resolves to a row that
// already exists: groups, resource owners and access holders name people; entitlements belong to
// resources and name their policy; separation-of-duties and birthright rules name entitlements (and
// birthright rules groups); imported access needs both the holder and the entitlement. This is
// also the order of IMPORT_KINDS in the report.
async function applyDirectory(tx: Transaction, parsed: ParsedDirectory, actor: string, report: ImportReport) {
  const { directory } = parsed;
  const peopleByEmail = await applyPeople(tx, directory.people, report.people, report.managedElsewhere);
  const emailOf = new Map([...peopleByEmail.values()].map((person) => [person.id, person.email]));
  const idOf = (email: string) => {
    const person = peopleByEmail.get(email);
    if (!person) throw new Error(`bug: person ${email} was not imported`);
    return person.id;
  };
  await applyGroups(tx, directory.groups, idOf, report);
  const policyIds = await applyPolicies(tx, directory.policies, actor, report.policies);
  const resourceIds = await applyResources(tx, directory.resources, idOf, emailOf, report.resources);
  await applyEntitlements(tx, directory.resources, resourceIds, policyIds, report.entitlements);
  await applySodRules(tx, directory.separationOfDuties, report.sodRules);
  await applyBirthrightRules(tx, directory.birthright, report.birthright);
  await applyAccess(tx, directory.access, idOf, report);
}
