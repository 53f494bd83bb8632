// Step-up: what an approval of risky access must carry beyond the approver's session or click.
import type { RiskLevel } from './risk.js';

/** What a directory entry may say about step-up: require a passkey, or explicitly not. */
export const STEP_UP_SETTINGS = ['webauthn', 'none'] as const;
/** An entitlement's or policy's `stepUp` as written. */
export type StepUpSetting = (typeof STEP_UP_SETTINGS)[number];

/** The ways an approval can be stepped up; today a WebAuthn assertion (a passkey). */
export type StepUpMethod = Exclude<StepUpSetting, 'none'>;

/**
 * Whether approving needs a step-up: the entitlement's own setting wins, then its policy's, and
 * with neither, high and critical risk need a passkey (the most specific word decides).
 */
export function stepUpRequired(
  risk: RiskLevel,
  entitlement: StepUpSetting | undefined,
  policy: StepUpSetting | undefined,
): StepUpMethod | null {
  const setting = entitlement ?? policy ?? (risk === 'high' || risk === 'critical' ? 'webauthn' : 'none');
  return setting === 'none' ? null : setting;
}
