// The joiner / mover / leaver hook. The SCIM use cases compute what a change means for a person's
// lifecycle here, return it, and hand it to `deps.onLifecycle` once the change has committed. This is
// the one place the leaver (revoke everything) and mover (micro-review by the new manager) workflows
// plug into (identity/leaver.ts, identity/mover.ts).
import type { Person } from '../db/schema.js';

/** What a directory change means for a person's access. */
export type IdentityChange =
  | { kind: 'joiner'; personId: string; email: string }
  | { kind: 'leaver'; personId: string; email: string; deactivatedAt: string }
  | { kind: 'rejoiner'; personId: string; email: string }
  | {
      kind: 'mover';
      personId: string;
      email: string;
      movedAt: string;
      before: { managerId: string | null; department: string | null };
      after: { managerId: string | null; department: string | null };
    };

/** Called after commit with every lifecycle change a use case made (never inside its transaction). */
export type LifecycleHook = (changes: IdentityChange[]) => Promise<void>;

/** A new manager or department for someone active before and after: their access is looked at again. */
export function isMove(
  before: Pick<Person, 'status' | 'managerId' | 'department'>,
  after: Pick<Person, 'status' | 'managerId' | 'department'>,
): boolean {
  return (
    before.status === 'active' &&
    after.status === 'active' &&
    (before.managerId !== after.managerId || before.department !== after.department)
  );
}

/** The lifecycle changes between `before` (null: a new person) and `after`. */
export function lifecycleChanges(before: Person | null, after: Person): IdentityChange[] {
  const who = { personId: after.id, email: after.email };
  if (!before) return after.status === 'active' ? [{ kind: 'joiner', ...who }] : [];
  if (before.status === 'active' && after.status === 'inactive') {
    return [{ kind: 'leaver', ...who, deactivatedAt: (after.deactivatedAt ?? new Date()).toISOString() }];
  }
  const changes: IdentityChange[] = [];
  if (before.status === 'inactive' && after.status === 'active') changes.push({ kind: 'rejoiner', ...who });
  if (isMove(before, after)) {
    changes.push({
      kind: 'mover',
      ...who,
      movedAt: (after.movedAt ?? new Date()).toISOString(),
      before: { managerId: before.managerId, department: before.department },
      after: { managerId: after.managerId, department: after.department },
    });
  }
  return changes;
}

/** One hook that hands the changes to each of `hooks` in turn. */
export function allHooks(...hooks: LifecycleHook[]): LifecycleHook {
  return async (changes) => {
    for (const hook of hooks) await hook(changes);
  };
}

/** Hands committed lifecycle changes to the hook, when one is wired. */
export async function handOffLifecycle(
  deps: { onLifecycle?: LifecycleHook },
  changes: IdentityChange[],
): Promise<void> {
  if (changes.length > 0 && deps.onLifecycle) await deps.onLifecycle(changes);
}
