// The directory exported checkpoints go to (the copy outside the database that `audit verify`
// compares): the worker writes a file there at every seal and fails the seal if it cannot.

import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, openSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { type CheckOutcome, failed, messageOf, passed } from '../check.js';

const FIX_PREFIX = 'GRANTFLOW_AUDIT_EXPORT_DIR (default <GRANTFLOW_DATA_DIR>/audit-checkpoints)';

/** Writes and removes a probe file; a directory not there yet passes if the worker could create it. */
export function checkExportDir(dir: string): CheckOutcome {
  if (!existsSync(dir)) {
    const parent = nearestExisting(path.dirname(dir));
    try {
      accessSync(parent, constants.W_OK | constants.X_OK);
    } catch {
      return failed(
        `${dir} does not exist, and the worker cannot create it: ${parent} is not writable`,
        `create ${dir}, writable by the user the worker runs as, or point ${FIX_PREFIX} at such a directory`,
      );
    }
    return passed(`${dir} does not exist yet; the worker creates it at start (${parent} is writable)`);
  }
  if (!statSync(dir).isDirectory()) {
    return failed(`${dir} is not a directory`, `point ${FIX_PREFIX} at a directory`);
  }
  const probe = path.join(dir, `.grantflow-doctor-${randomBytes(6).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (error) {
    return failed(
      `cannot write to ${dir}: ${messageOf(error)}`,
      `make ${dir} writable by the user the worker runs as, or point ${FIX_PREFIX} elsewhere`,
    );
  }
  rmSync(probe, { force: true });
  return passed(`${dir} is writable`);
}

function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}
