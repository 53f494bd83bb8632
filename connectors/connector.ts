// The one interface every target-system kind implements, and the one error type they throw. The
// activity layer turns a ConnectorError into a Temporal ApplicationFailure whose `type` is `code`
// and whose retryability is `retryable`, so both must stay stable.

import { GrantflowError } from '../core/errors.js';
import type { ConnectorKind } from '../domain/index.js';

/** What a connector acts on: one person, one entitlement, keyed by the grant. */
export type ProvisionInput = {
  /** The business and idempotency key: the same grant always reaches the target with the same id. */
  grantId: string;
  person: { email: string; name: string };
  resourceKey: string;
  entitlementKey: string;
  /** The entitlement's `target` from the catalog, e.g. `{ role: 'payments_read' }`. */
  target: Record<string, unknown>;
};

/** What a grant or revoke did: `already` means the target was already in the asked-for state. */
export type ProvisionResult = { outcome: 'done' | 'already'; detail: string };

/** Connector kinds, as named in the catalog's `connector.kind`. */
export type { ConnectorKind };

/** An entitlement as reconciliation asks a target about it: its key and its catalog `target`. */
export type ListedEntitlement = { entitlementKey: string; target: Record<string, unknown> };

/** One account holding one entitlement, as the target reports it. */
export type TargetHolding = { entitlementKey: string; account: string };

/** Where to continue listing: opaque to the caller, handed back as it came. */
export type ListCursor = string;

/**
 * One page of what a target holds, in a stable order. `nextCursor` is absent on the last page.
 * A target that cannot be read throws `connector_unavailable`: reconciliation then reports the
 * target as down and never concludes that access is missing.
 */
export type AccessPage = { holdings: TargetHolding[]; nextCursor?: ListCursor };

/** Grants and revokes one entitlement for one person in one target system; every method is idempotent. */
export interface Connector {
  readonly kind: ConnectorKind;
  grant(input: ProvisionInput): Promise<ProvisionResult>;
  revoke(input: ProvisionInput): Promise<ProvisionResult>;
  /** Present only where the target can tell: reads the target back. */
  check?(input: ProvisionInput): Promise<'present' | 'absent'>;
  /**
   * Present only where the target can list: who holds each of these entitlements, a page at a
   * time (at most `limit` holdings), from `cursor` (absent for the first page).
   */
  listAccess?(
    entitlements: ListedEntitlement[],
    page: { cursor?: ListCursor; limit: number },
  ): Promise<AccessPage>;
  /**
   * The account name a person has at this target, the same string `listAccess` reports: how
   * reconciliation matches listed accounts to people. Present wherever `listAccess` is.
   */
  accountOf?(person: { email: string; name: string }): string;
  /**
   * Present only where the target keeps accounts of its own (a SaaS app over SCIM): deactivates
   * the person's account there, keeping it and its history, as a leaver needs. `already` when the
   * account is inactive or absent.
   */
  deactivateAccount?(person: { email: string }): Promise<ProvisionResult>;
}

/** Node's socket and DNS error codes: whatever the target, it cannot be reached for now. */
export const SOCKET_ERROR_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
] as const;

// Retryability belongs to the code, not to each throw site, so one code never means both.
const RETRYABLE = {
  /** The resource's connector config or the environment it names is missing or wrong. */
  connector_misconfigured: false,
  /** The target role, or the person's account in the target, does not exist. */
  connector_unknown_role: false,
  /** The connector's own account may not make this change. */
  connector_permission_denied: false,
  /** The target understood the request and refused it. */
  connector_rejected: false,
  /** A manual resource reached a connector call; the workflow fulfils those by a task for a person. */
  connector_manual: false,
  /** The target could not be reached or was briefly unable to answer; try again later. */
  connector_unavailable: true,
  /** Something unexpected; retried because nothing says it is permanent. */
  connector_failed: true,
} as const;

/** Every code a ConnectorError can carry. */
export type ConnectorErrorCode = keyof typeof RETRYABLE;

/** Every ConnectorError code with whether the activity layer should retry it. */
export const CONNECTOR_ERROR_CODES: Readonly<Record<ConnectorErrorCode, boolean>> = RETRYABLE;

/** A connector failure with a stable `code`; `retryable: false` means retrying cannot help. */
export class ConnectorError extends GrantflowError {
  /** Whether the same call may succeed later without anyone changing anything. */
  readonly retryable: boolean;
  /** A delay the target asked for (HTTP Retry-After), for the next attempt; undefined when it did not. */
  readonly retryAfterMs: number | undefined;

  constructor(
    override readonly code: ConnectorErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(code, message, { status: 502, details: options.details, cause: options.cause });
    this.retryable = RETRYABLE[code];
    this.retryAfterMs = options.retryAfterMs;
  }
}
