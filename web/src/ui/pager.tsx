// Server-side paging for every long list: the API answers `{ items, nextCursor }`; the page keeps
// the cursors it has walked so "Previous" is one step back, and the query key carries the cursor so
// each page is cached on its own.
import { keepPreviousData, type QueryKey, useQuery } from '@tanstack/react-query';
import { useState } from 'react';

/** One page as the API returns it. */
export type Page<T> = { items: T[]; nextCursor?: string | null };

/**
 * A paged query: the current page, and moving forward and back. The page keeps whatever else the
 * API answers beside `items` (P), e.g. the reviews' progress.
 */
export function usePagedQuery<T, P extends Page<T> = Page<T>>(
  key: QueryKey,
  fetchPage: (cursor: string | undefined) => Promise<P>,
  /** `refetchInterval`: read the page again every so many ms (an inbox that stays current). */
  options: { refetchInterval?: number } = {},
) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [...key, { cursor }],
    queryFn: () => fetchPage(cursor),
    placeholderData: keepPreviousData,
    ...options,
  });
  const nextCursor = query.data?.nextCursor ?? undefined;
  return {
    query,
    page: cursors.length,
    next: nextCursor ? () => setCursors((walked) => [...walked, nextCursor]) : undefined,
    previous: cursors.length > 1 ? () => setCursors((walked) => walked.slice(0, -1)) : undefined,
    /** Back to the first page, e.g. after the filters changed. */
    reset: () => setCursors([undefined]),
  };
}

/** "Previous / page n / Next" under a paged list. */
export function Pager({ page, next, previous }: { page: number; next?: () => void; previous?: () => void }) {
  if (!next && !previous) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={previous} disabled={!previous}>
        Previous
      </button>
      <span>Page {page}</span>
      <button type="button" onClick={next} disabled={!next}>
        Next
      </button>
    </nav>
  );
}
