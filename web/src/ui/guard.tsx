// Pages meant for some roles: others see why they cannot use it instead of a page of refusals.
// This is a courtesy; the API is the authority and refuses the same people.
import type { ReactNode } from 'react';
import { type Session, useSession } from '../session';
import { Empty } from './states';

/** Renders `children` for the listed roles, and a designed "not for you" state for anyone else. */
export function ForRoles({ roles, children }: { roles: Session['role'][]; children: ReactNode }) {
  const session = useSession();
  if (!session.data) return null;
  if (!roles.includes(session.data.role)) {
    return (
      <Empty title="This page is not part of your role.">
        It is for {roles.join(' and ')}s. Ask an administrator if you need it.
      </Empty>
    );
  }
  return <>{children}</>;
}
