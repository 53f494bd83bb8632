import { describe, expect, it, vi } from 'vitest';
import type { Person } from '../../../db/schema.js';
import { handOffLifecycle, lifecycleChanges } from '../../../identity/lifecycle.js';

const person = (overrides: Partial<Person> = {}): Person => ({
  id: 'p1',
  email: 'ada@acme.test',
  name: 'Ada',
  slackUserId: null,
  managerId: 'm1',
  department: 'Research',
  title: null,
  status: 'active',
  source: 'scim:okta',
  externalId: null,
  employeeNumber: null,
  deactivatedAt: null,
  movedAt: null,
  moveHandledAt: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...overrides,
});

describe('lifecycleChanges: the joiner / mover / leaver hook point', () => {
  it('names a joiner, a leaver, a rejoiner and a mover', () => {
    expect(lifecycleChanges(null, person())).toEqual([
      { kind: 'joiner', personId: 'p1', email: 'ada@acme.test' },
    ]);
    const left = person({ status: 'inactive', deactivatedAt: new Date('2025-01-02T03:04:05Z') });
    expect(lifecycleChanges(person(), left)).toEqual([
      { kind: 'leaver', personId: 'p1', email: 'ada@acme.test', deactivatedAt: '2025-01-02T03:04:05.000Z' },
    ]);
    expect(lifecycleChanges(left, person()).map((c) => c.kind)).toEqual(['rejoiner']);
    const moved = person({ managerId: 'm2', movedAt: new Date('2025-02-03T04:05:06Z') });
    expect(lifecycleChanges(person(), moved)).toEqual([
      {
        kind: 'mover',
        personId: 'p1',
        email: 'ada@acme.test',
        movedAt: '2025-02-03T04:05:06.000Z',
        before: { managerId: 'm1', department: 'Research' },
        after: { managerId: 'm2', department: 'Research' },
      },
    ]);
  });

  it('names nothing for other changes, and for an inactive person moving', () => {
    expect(lifecycleChanges(person(), person({ title: 'Countess' }))).toEqual([]);
    const inactive = person({ status: 'inactive' });
    expect(lifecycleChanges(inactive, { ...inactive, department: 'Engines' })).toEqual([]);
  });

  it('hands the changes to the hook once they exist, and only then', async () => {
    const onLifecycle = vi.fn(async () => {});
    await handOffLifecycle({ onLifecycle }, []);
    await handOffLifecycle({}, lifecycleChanges(null, person()));
    await handOffLifecycle({ onLifecycle }, lifecycleChanges(null, person()));
    expect(onLifecycle).toHaveBeenCalledTimes(1);
  });
});
