// Whether approving needs a passkey: the entitlement's own word, then its policy's, and by default
// high and critical risk do; the plan carries the answer to the workflow, the API and Slack.
import { describe, expect, it } from 'vitest';
import { parseDirectorySource } from '../../../directory/parse.js';
import { type RiskLevel, type StepUpSetting, stepUpRequired } from '../../../domain/index.js';
import { evaluatePolicy } from '../../../policy/index.js';
import { request, withPolicy } from './org.js';

function planned(risk: RiskLevel, entitlement?: StepUpSetting, policy?: StepUpSetting) {
  const base = request({
    entitlement: {
      key: 'write',
      name: 'Payments write',
      risk,
      maxDurationSeconds: 3600,
      ...(entitlement ? { stepUp: entitlement } : {}),
    },
  });
  return evaluatePolicy(withPolicy(policy ? { stepUp: policy } : {}, base));
}

describe('step-up requirement', () => {
  it.each([
    ['low', null],
    ['medium', null],
    ['high', 'webauthn'],
    ['critical', 'webauthn'],
  ] as const)('by default, %s risk needs %s', (risk, expected) => {
    expect(stepUpRequired(risk, undefined, undefined)).toBe(expected);
    expect(planned(risk)).toMatchObject({ outcome: 'approval_required', stepUp: expected });
  });

  it('lets the policy decide over the risk, and the entitlement over the policy', () => {
    expect(planned('critical', undefined, 'none')).toMatchObject({ stepUp: null });
    expect(planned('low', undefined, 'webauthn')).toMatchObject({ stepUp: 'webauthn' });
    expect(planned('low', 'webauthn', 'none')).toMatchObject({ stepUp: 'webauthn' });
    expect(planned('critical', 'none', 'webauthn')).toMatchObject({ stepUp: null });
  });

  it('reads stepUp from the directory file, and refuses anything but webauthn or none', () => {
    const file = `people:
  - { email: a@acme.test, name: A }
groups: []
policies:
  - key: p
    stepUp: none
    steps: [{ approvers: ["user:a@acme.test"] }]
resources:
  - key: r
    name: R
    owner: a@acme.test
    connector: { kind: manual }
    entitlements:
      - { key: e, name: E, risk: low, maxDuration: 1h, policy: p, stepUp: webauthn }
separationOfDuties: []
birthright: []
access: []
`;
    const parsed = parseDirectorySource(file, 'd.yaml').directory;
    expect(parsed.policies[0]?.stepUp).toBe('none');
    expect(parsed.resources[0]?.entitlements[0]?.stepUp).toBe('webauthn');
    expect(() => parseDirectorySource(file.replace('stepUp: webauthn', 'stepUp: totp'), 'd.yaml')).toThrow(
      /entitlements\[0\]\.stepUp: must be one of "webauthn", "none", found "totp"/,
    );
  });
});
