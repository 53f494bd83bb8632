// A status (request, grant, campaign, person) in words, as a badge; the raw enum value stays out of
// sight, and one the table does not name reads with spaces for underscores.
const WORDS: Record<string, string> = {
  pending: 'Submitted',
  pending_approval: 'Waiting for approval',
  provisioning: 'Being provisioned',
  awaiting_fulfilment: 'Waiting for manual set-up',
  provisioning_failed: 'Provisioning failed',
  granted: 'Granted',
  denied: 'Denied',
  cancelled: 'Cancelled',
  expired: 'Expired',
  active: 'Active',
  ending: 'Ending',
  released: 'Given back',
  revoked: 'Revoked',
};

const TONE: Record<string, string> = {
  granted: 'good',
  active: 'good',
  denied: 'bad',
  provisioning_failed: 'bad',
  revoked: 'bad',
  pending_approval: 'warn',
  awaiting_fulfilment: 'warn',
};

function statusWords(status: string): string {
  return WORDS[status] ?? status.replaceAll('_', ' ');
}

/** The status as a badge. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${TONE[status] ?? 'plain'}`}>{statusWords(status)}</span>;
}
