// An entitlement's risk as a coloured badge whose words carry the meaning (colour is only a hint).
/** The four risk levels, least dangerous first. */
export type Risk = 'low' | 'medium' | 'high' | 'critical';

/** "high risk", styled by level. */
export function RiskBadge({ risk }: { risk: Risk }) {
  return <span className={`badge risk-${risk}`}>{risk} risk</span>;
}
