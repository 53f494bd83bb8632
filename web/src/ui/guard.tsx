// Pages meant for some roles: others see why they cannot use it instead of a page of refusals.
// This is a courtesy; the API is the authority and refuses the same people.
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { type Session, useSession } from '../session';
import { Empty } from './states';

/** The designed "not for you" state; `refusal` is the API's own 403, when the page asked it. */
export function NotForRole({ roles, refusal }: { roles: Session['role'][]; refusal?: ApiError }) {
  return (
    <div role="alert">
      <Empty title="This page is not part of your role.">
        <p>It is for {roles.join(' and ')}s. Ask an administrator if you need it.</p>
        {refusal && (
          <p>
            The server refused too ({refusal.status} {refusal.code}): {refusal.message}
          </p>
        )}
      </Empty>
    </div>
  );
}

/** Whether `error` is the API refusing the caller's role (403 forbidden). */
export function isRoleRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 403 && error.code === 'forbidden';
}

/** Renders `children` for the listed roles, and a designed "not for you" state for anyone else. */
export function ForRoles({ roles, children }: { roles: Session['role'][]; children: ReactNode }) {
  const session = useSession();
  if (!session.data) return null;
  if (!roles.includes(session.data.role)) return <NotForRole roles={roles} />;
  return <>{children}</>;
}
