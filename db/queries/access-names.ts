/**
 * The one join that makes a holding readable: who holds it (people), what (entitlements) and
 * where (resources). Grants, review items and campaign populations all show the same names, so
 * they share these columns and this join instead of spelling out three copies.
 */
import { eq, sql } from 'drizzle-orm';
import type { PgColumn, PgSelect } from 'drizzle-orm/pg-core';
import { entitlements, people, resources } from '../schema.js';

/** The names a reader sees beside a holding. */
export const accessNames = {
  holderEmail: people.email,
  holderName: people.name,
  resourceKey: resources.key,
  resourceName: resources.name,
  entitlementKey: entitlements.key,
  entitlementName: entitlements.name,
  risk: entitlements.riskLevel,
};

/** `resource/entitlement`, the key people and files use for an entitlement. */
export const entitlementRef = sql<string>`${resources.key} || '/' || ${entitlements.key}`;

/** Joins the holder, the entitlement and its resource onto a dynamic select. */
export function joinAccessNames<T extends PgSelect>(
  query: T,
  on: { holder: PgColumn; entitlement: PgColumn },
) {
  return query
    .innerJoin(people, eq(people.id, on.holder))
    .innerJoin(entitlements, eq(entitlements.id, on.entitlement))
    .innerJoin(resources, eq(resources.id, entitlements.resourceId));
}
