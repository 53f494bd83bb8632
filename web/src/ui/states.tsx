// The states every data view has besides "here it is": loading, failed, and nothing yet (with
// what to do about it). Designed once, used everywhere, so no page is ever blank.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

/** While the first answer is on its way. */
export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}

/** The server refused or failed: its own words, and a way to try again. */
export function Failed({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <div className="state state-error" role="alert">
      <p>{message}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Nothing to show yet, and what would change that. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children && <div className="state-hint">{children}</div>}
    </div>
  );
}

/** What a query shows: Loading, Failed (with a retry), or its data handed to `children`. */
export function QueryStates<T>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError) return <Failed error={query.error} retry={() => void query.refetch()} />;
  return children(query.data);
}
