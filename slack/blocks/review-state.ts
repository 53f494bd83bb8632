// The review modals' private_metadata codec: where a reviewer is in a campaign's review (page,
// cursor, earlier pages, channel), and what the revoke-reason modal carries back, encoded in short
// keys to fit Slack's 3000 characters and read back defensively (a stale or foreign view is undefined).
import { checkedMetadata } from './kit.js';

/** How many earlier pages "Previous" can walk back through (each is one id in the metadata). */
export const REVIEW_BACK_PAGES = 50;

/**
 * Where a reviewer is in a campaign's review, carried in the modal's private_metadata: the page's
 * items (so the page keeps them after a decision), the cursor it was read from, the cursors of
 * the pages before it, and the channel the review was opened from (for private notes).
 */
export type ReviewPageState = {
  campaignId: string;
  /** The page lists open items with an id above this. */
  afterId: number;
  itemIds: number[];
  /** `afterId` of each earlier page, oldest first (at most REVIEW_BACK_PAGES). */
  back: number[];
  channel?: string;
};

/** Serializes the page state for private_metadata (short keys: it must fit Slack's 3000 characters). */
export function reviewStateMetadata(state: ReviewPageState): string {
  const back = state.back.slice(-REVIEW_BACK_PAGES);
  return checkedMetadata(
    JSON.stringify({
      c: state.campaignId,
      a: state.afterId,
      i: state.itemIds,
      b: back,
      ...(state.channel ? { ch: state.channel } : {}),
    }),
  );
}

const isIdList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((id) => Number.isSafeInteger(id) && id >= 0);

/** Reads the page state back; undefined when the metadata is not one (a stale or foreign view). */
export function parseReviewState(metadata: string | undefined): ReviewPageState | undefined {
  if (!metadata) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(metadata);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const value = raw as { c?: unknown; a?: unknown; i?: unknown; b?: unknown; ch?: unknown };
  if (typeof value.c !== 'string' || !Number.isSafeInteger(value.a) || !isIdList(value.i)) return undefined;
  if (!isIdList(value.b)) return undefined;
  return {
    campaignId: value.c,
    afterId: value.a as number,
    itemIds: value.i,
    back: value.b,
    ...(typeof value.ch === 'string' ? { channel: value.ch } : {}),
  };
}

/** What the revoke-reason modal carries back: the item, the review view to update, and its state. */
export type RevokeReasonMetadata = { itemId: number; reviewViewId: string; state: ReviewPageState };

/** Serializes the revoke-reason modal's metadata. */
export function revokeReasonMetadata(metadata: RevokeReasonMetadata): string {
  return checkedMetadata(
    JSON.stringify({
      item: metadata.itemId,
      view: metadata.reviewViewId,
      s: reviewStateMetadata(metadata.state),
    }),
  );
}

/** Reads the revoke-reason modal's metadata back; undefined when malformed. */
export function parseRevokeReasonMetadata(metadata: string | undefined): RevokeReasonMetadata | undefined {
  if (!metadata) return undefined;
  try {
    const value = JSON.parse(metadata) as { item?: unknown; view?: unknown; s?: unknown };
    const state = parseReviewState(typeof value.s === 'string' ? value.s : undefined);
    if (!Number.isSafeInteger(value.item) || typeof value.view !== 'string' || !state) return undefined;
    return { itemId: value.item as number, reviewViewId: value.view, state };
  } catch {
    return undefined;
  }
}
