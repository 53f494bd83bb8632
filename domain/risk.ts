/** Risk levels from least to most dangerous; the order matters (`maxRisk`, `requireReasonAbove`). */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
/** How dangerous an entitlement is. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** True when `risk` is at most `ceiling`. */
export function riskAtMost(risk: RiskLevel, ceiling: RiskLevel): boolean {
  return RISK_LEVELS.indexOf(risk) <= RISK_LEVELS.indexOf(ceiling);
}
