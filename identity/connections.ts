// SCIM connections: the admin creates one per identity provider (`okta`, `entra`) and gets its bearer
// token once; revoking it stops the provider at once. Creating and revoking are recorded; the token
// itself never reaches the ledger. The people a connection manages keep its source after a revoke,
// so a new token of the same name (a rotation) manages them again.

import type { AuditActor, AuditSource } from '../audit/events.js';
import { recordAudit } from '../audit/intake.js';
import { ConflictError, NotFoundError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import {
  findScimConnectionByToken,
  getLiveScimConnection,
  insertScimConnection,
  listScimConnections,
  revokeScimConnection,
} from '../db/queries/scim-connections.js';
import type { ScimConnection } from '../db/schema.js';
import { uniqueViolation } from './context.js';

/** A connection name: what `scim:<name>` sources carry. */
export const CONNECTION_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Who creates or revokes a connection, as the ledger records them, and from where. */
export type AdminActor = { actor: AuditActor; source?: Partial<AuditSource> };

function event(connection: ScimConnection, admin: AdminActor, created: boolean) {
  return {
    event_type: created
      ? ('config.scim_connection.created' as const)
      : ('config.scim_connection.revoked' as const),
    actor: admin.actor,
    target: { type: 'scim_connection', id: connection.id, name: connection.name },
    action: created ? 'create' : 'revoke',
    result: 'success' as const,
    details: created
      ? {
          before: null,
          after: { name: connection.name, prefix: connection.prefix, source: `scim:${connection.name}` },
        }
      : { before: { revoked: false }, after: { revoked: true, prefix: connection.prefix } },
  };
}

/** Creates connection `name` and returns its token once; 409 while a live one of that name exists. */
export async function createConnection(
  db: Database,
  name: string,
  admin: AdminActor,
): Promise<{ connection: ScimConnection; token: string }> {
  try {
    return await db.transaction(async (tx) => {
      if (await getLiveScimConnection(tx, name)) throw taken(name);
      const { token, row } = await insertScimConnection(tx, { name, createdBy: admin.actor.id });
      await recordAudit(tx, event(row, admin, true), { source: admin.source ?? {} });
      return { connection: row, token };
    });
  } catch (error) {
    if (uniqueViolation(error)) throw taken(name);
    throw error;
  }
}

function taken(name: string): ConflictError {
  return new ConflictError(
    `SCIM connection ${name} already has a live token; revoke it first (grantflow scim token revoke --name ${name})`,
    { name },
  );
}

/** Every connection, live and revoked. */
export async function listConnections(db: Database): Promise<ScimConnection[]> {
  return listScimConnections(db);
}

/** Revokes the live token of connection `name`; 404 when there is none. */
export async function revokeConnection(
  db: Database,
  name: string,
  admin: AdminActor,
): Promise<ScimConnection> {
  return db.transaction(async (tx) => {
    const row = await revokeScimConnection(tx, name);
    if (!row) throw new NotFoundError('SCIM connection', name);
    await recordAudit(tx, event(row, admin, false), { source: admin.source ?? {} });
    return row;
  });
}

/** The live connection a bearer token belongs to (API tokens never match). */
export async function authenticateConnection(
  db: Database,
  token: string,
): Promise<ScimConnection | undefined> {
  return findScimConnectionByToken(db, token);
}
