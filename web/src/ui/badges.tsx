// Small labelled values that recur across pages: risk levels and statuses.

/** A risk level as a coloured badge; the word itself carries the meaning, the colour only helps. */
export function RiskBadge({ risk }: { risk: string }) {
  return <span className={`badge risk-${risk}`}>{risk}</span>;
}

/** A status word as a neutral badge (underscores read as spaces). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status.replaceAll('_', ' ')}</span>;
}
