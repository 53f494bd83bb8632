import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

/**
 * Search attributes grantflow sets on its workflows so people can find them in the Temporal UI
 * ("every open request of alice@", "the campaign for 2026-Q4"). Names are prefixed to avoid
 * clashing with other applications in a shared namespace.
 */
const SEARCH_ATTRIBUTES = {
  GrantflowKind: 'keyword',
  GrantflowRequester: 'keyword',
  GrantflowEntitlement: 'keyword',
  GrantflowStatus: 'keyword',
  GrantflowCampaign: 'keyword',
} as const;

/**
 * Creates the search attributes that are missing. The dev server's `--search-attribute` flag is
 * ignored for an existing database file, so this goes through the operator API on every start.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length === 0) return [];
  const keyword = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, keyword])),
  });
  return missing;
}

/** The search attributes grantflow sets that `namespace` lacks (all of them Keyword). */
export async function missingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  return Object.keys(SEARCH_ATTRIBUTES).filter((name) => !known.has(name));
}
