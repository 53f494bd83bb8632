// Paging `listAccess` the same way for every SQL-like target: entitlements in key order, and within
// one entitlement the target's own keyset (its accounts in the order its index sorts them). The
// cursor is the last position handed out, so a page boundary never skips or repeats a holder even
// when grants land between pages (a holder added before the cursor is simply seen by the next run).
import { type AccessPage, ConnectorError, type ListCursor, type ListedEntitlement } from './connector.js';

/** One holder as a target reads it: the account string, and the sort key to resume after it. */
export type KeyedHolding = { account: string; key: string[] };

/**
 * Reads up to `limit` holders of one entitlement after `after` (absent: from the start), in the
 * target's keyset order; a page is at most that many rows.
 */
export type ReadHolders = (
  entitlement: ListedEntitlement,
  after: string[] | undefined,
  limit: number,
) => Promise<KeyedHolding[]>;

type Position = { entitlementKey: string; after: string[] };

/** Lists one page across `entitlements`, at most `page.limit` holdings, from `page.cursor`. */
export async function pageHolders(
  resourceKey: string,
  entitlements: ListedEntitlement[],
  page: { cursor?: ListCursor; limit: number },
  read: ReadHolders,
): Promise<AccessPage> {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
    throw new ConnectorError(
      'connector_rejected',
      `listAccess limit must be a positive integer, got ${page.limit}`,
      {
        details: { resource: resourceKey, limit: page.limit },
      },
    );
  }
  const start = page.cursor === undefined ? undefined : decodeCursor(resourceKey, page.cursor);
  const holdings: AccessPage['holdings'] = [];
  let last: Position | undefined;

  for (const entitlement of inKeyOrder(entitlements)) {
    const { entitlementKey } = entitlement;
    if (start && entitlementKey < start.entitlementKey) continue;
    const after = start && entitlementKey === start.entitlementKey ? start.after : undefined;
    const room = page.limit - holdings.length;
    // One row more than there is room for says whether another page follows, without a query that
    // might come back empty.
    const rows = await read(entitlement, after, room + 1);
    for (const row of rows.slice(0, room)) {
      holdings.push({ entitlementKey, account: row.account });
      last = { entitlementKey, after: row.key };
    }
    // `last` is set: room is 0 only once the page holds `limit` ≥ 1 holdings.
    if (rows.length > room && last) return { holdings, nextCursor: encodeCursor(last) };
  }
  return { holdings };
}

/**
 * `pageHolders` for targets that hold each entitlement as a named role (postgres, mysql): every
 * entitlement's role is resolved by `roleOf` before the first query, so a bad catalog entry fails
 * the whole listing rather than the page it happens to fall on.
 */
export function pageRoleHolders(
  resourceKey: string,
  entitlements: ListedEntitlement[],
  page: { cursor?: ListCursor; limit: number },
  roleOf: (entitlement: ListedEntitlement) => string,
  read: (role: string, after: string[] | undefined, limit: number) => Promise<KeyedHolding[]>,
): Promise<AccessPage> {
  const roles = new Map(entitlements.map((e) => [e.entitlementKey, roleOf(e)]));
  return pageHolders(resourceKey, entitlements, page, (entitlement, after, limit) =>
    read(roles.get(entitlement.entitlementKey) as string, after, limit),
  );
}

// Sorted by code unit (not locale) so the order is the same on every worker; a key listed twice is read once.
function inKeyOrder(entitlements: ListedEntitlement[]): ListedEntitlement[] {
  const byKey = new Map(entitlements.map((entitlement) => [entitlement.entitlementKey, entitlement]));
  return [...byKey.values()].sort((a, b) =>
    a.entitlementKey < b.entitlementKey ? -1 : a.entitlementKey > b.entitlementKey ? 1 : 0,
  );
}

function encodeCursor(position: Position): ListCursor {
  return Buffer.from(JSON.stringify([position.entitlementKey, ...position.after])).toString('base64url');
}

function decodeCursor(resourceKey: string, cursor: ListCursor): Position {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || parts.length < 2 || !parts.every((part) => typeof part === 'string')) {
    throw new ConnectorError(
      'connector_rejected',
      `resource ${resourceKey}: not a listAccess cursor this connector made`,
      {
        details: { resource: resourceKey, cursor },
      },
    );
  }
  const [entitlementKey, ...after] = parts as string[];
  return { entitlementKey: entitlementKey as string, after };
}
