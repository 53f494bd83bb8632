import { describe, expect, it } from 'vitest';
import { homeView } from '../../../slack/blocks/home.js';
import {
  CAMPAIGN_VIEW,
  itemBlockId,
  LAUNCH_BLOCK,
  REVIEW_ACTION,
  REVIEW_BLOCK,
  REVIEW_OPEN_ACTION,
} from '../../../slack/blocks/ids.js';
import type { Block, ModalView, SlackPayload } from '../../../slack/blocks/kit.js';
import { launchedModal, launchModal } from '../../../slack/blocks/launch.js';
import { reviewDigestMessage, signOffNeededMessage } from '../../../slack/blocks/review-digest.js';
import {
  REVIEW_PAGE_SIZE,
  type ReviewItemCard,
  type ReviewPage,
  reviewModal,
  revokeReasonModal,
} from '../../../slack/blocks/review-modal.js';
import {
  parseReviewState,
  parseRevokeReasonMetadata,
  REVIEW_BACK_PAGES,
  type ReviewPageState,
  reviewStateMetadata,
} from '../../../slack/blocks/review-state.js';

type Json = Record<string, unknown>;
const json = (value: unknown) => value as Json;

const HOSTILE = '<!channel> & <@U0BOSS> <https://evil.test|click>';
const CAMPAIGN_ID = '3f1c2b7e-0000-4000-8000-000000000001';

function item(itemId: number, overrides: Partial<ReviewItemCard> = {}): ReviewItemCard {
  return {
    itemId,
    holder: { name: `Holder ${itemId}`, email: `holder${itemId}@acme.test` },
    resourceName: 'Target DB',
    entitlementName: 'read',
    risk: 'high',
    grantedAt: '2030-01-02T03:04:05.000Z',
    requestId: `req-${itemId}`,
    ...overrides,
  };
}

function page(overrides: Partial<ReviewPage> = {}, state: Partial<ReviewPageState> = {}): ReviewPage {
  const items = overrides.items ?? Array.from({ length: REVIEW_PAGE_SIZE }, (_, i) => item(101 + i));
  return {
    campaignName: 'Q4 access review',
    dueAt: '2030-02-01T17:00:00.000Z',
    open: true,
    allowChanges: false,
    progress: { total: 40, decided: 3 },
    hasNext: true,
    ...overrides,
    items,
    state: {
      campaignId: CAMPAIGN_ID,
      afterId: 100,
      itemIds: items.map((i) => i.itemId),
      back: [],
      ...state,
    },
  };
}

// Every button in a payload (actions blocks and section accessories).
function buttons(blocks: Block[]): Json[] {
  return blocks.flatMap((block) => {
    const b = json(block);
    const found: Json[] = [];
    if (b.type === 'actions') found.push(...(b.elements as Json[]));
    if (json(b.accessory)?.type === 'button') found.push(json(b.accessory));
    return found;
  });
}

// Every string Slack parses as mrkdwn.
function mrkdwnStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnStrings);
  if (value === null || typeof value !== 'object') return [];
  const object = value as Json;
  const own = object.type === 'mrkdwn' && typeof object.text === 'string' ? [object.text] : [];
  return [...own, ...Object.values(object).flatMap(mrkdwnStrings)];
}

// Slack's documented limits on what these builders produce; returns what is over.
function limitViolations(blocks: Block[], maxBlocks: number): string[] {
  const problems: string[] = [];
  const over = (what: string, text: string | undefined, max: number) => {
    if (text !== undefined && text.length > max) problems.push(`${what}: ${text.length} > ${max}`);
  };
  if (blocks.length > maxBlocks) problems.push(`blocks: ${blocks.length} > ${maxBlocks}`);
  const blockIds = blocks.map((b) => json(b).block_id).filter((id) => id !== undefined);
  if (new Set(blockIds).size !== blockIds.length) problems.push('duplicate block ids');
  for (const block of blocks) {
    const b = json(block);
    if (b.type === 'header') over('header', json(b.text).text as string, 150);
    if (b.type === 'section') {
      over('section', json(b.text)?.text as string | undefined, 3000);
      const fields = (b.fields as Json[] | undefined) ?? [];
      if (fields.length > 10) problems.push('fields > 10');
      for (const field of fields) over('field', field.text as string, 2000);
    }
    if (b.type === 'context') {
      const elements = b.elements as Json[];
      if (elements.length > 10) problems.push('context elements > 10');
      for (const element of elements) over('context', element.text as string, 3000);
    }
    if (b.type === 'actions') {
      const elements = b.elements as Json[];
      if (elements.length > 25) problems.push('action elements > 25');
      for (const element of elements) {
        over('button text', json(element.text).text as string, 75);
        over('button value', element.value as string, 2000);
      }
    }
    if (b.type === 'input') {
      over('label', json(b.label).text as string, 2000);
      const options = (json(b.element).options as Json[] | undefined) ?? [];
      if (options.length > 100) problems.push(`options: ${options.length} > 100`);
      for (const option of options) {
        over('option text', json(option.text).text as string, 75);
        over('option value', option.value as string, 150);
      }
    }
  }
  return problems;
}

function expectModalWithinLimits(view: ModalView): void {
  expect(view.title.text.length).toBeLessThanOrEqual(24);
  expect(view.submit?.text.length ?? 0).toBeLessThanOrEqual(24);
  expect(view.close?.text.length ?? 0).toBeLessThanOrEqual(24);
  expect(view.private_metadata?.length ?? 0).toBeLessThanOrEqual(3000);
  expect(limitViolations(view.blocks, 100)).toEqual([]);
}

function expectMessageWithinLimits(message: SlackPayload): void {
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expect(limitViolations(message.blocks, 50)).toEqual([]);
}

function expectNothingPings(value: unknown): void {
  for (const text of mrkdwnStrings(value)) {
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0BOSS>');
    expect(text).not.toContain('<https://evil.test');
  }
}

describe('ids', () => {
  it('keeps the action, block and callback ids the listeners are written against', () => {
    expect(REVIEW_ACTION).toEqual({
      open: 'review_open',
      keep: 'review_keep',
      revoke: 'review_revoke',
      keepPage: 'review_keep_page',
      next: 'review_next',
      previous: 'review_previous',
      first: 'review_first',
      reason: 'review_reason_input',
    });
    expect(REVIEW_ACTION.open).toBe(REVIEW_OPEN_ACTION);
    expect(REVIEW_BLOCK).toEqual({ reason: 'review_reason', pageActions: 'review_page' });
    expect(CAMPAIGN_VIEW).toEqual({
      review: 'campaign_review',
      revokeReason: 'campaign_revoke_reason',
      launch: 'campaign_launch',
      launched: 'campaign_launched',
    });
    expect(itemBlockId(42)).toBe('review_item_42');
  });
});

describe('reviewDigestMessage', () => {
  it('says how many items, when they are due, and offers Review carrying the campaign id', () => {
    const message = reviewDigestMessage({
      heading: 'You have 12 access items to review in "Q4", due 2030-02-01T17:00:00.000Z',
      campaignId: CAMPAIGN_ID,
      campaignName: 'Q4',
      dueAt: '2030-02-01T17:00:00.000Z',
      total: 12,
      decided: 2,
      defaultAction: 'revoke',
    });

    expectMessageWithinLimits(message);
    expect(buttons(message.blocks)).toEqual([
      expect.objectContaining({ action_id: REVIEW_ACTION.open, value: CAMPAIGN_ID, style: 'primary' }),
    ]);
    const texts = mrkdwnStrings(message.blocks).join('\n');
    expect(texts).toContain('12 (10 open)');
    expect(texts).toContain(`<!date^${Date.parse('2030-02-01T17:00:00.000Z') / 1000}^`);
    expect(texts).toContain('are revoked');
    expect(message.text).toContain('12 access items');
  });

  it('escapes the campaign name and heading, and stays within limits when they are huge', () => {
    const message = reviewDigestMessage({
      heading: HOSTILE.repeat(200),
      campaignId: CAMPAIGN_ID,
      campaignName: HOSTILE.repeat(20),
      dueAt: 'not a date',
      total: 1,
      decided: 0,
    });

    expectMessageWithinLimits(message);
    expectNothingPings(message);
    expect(message.text).not.toContain('<!channel>');
  });
});

describe('reviewModal', () => {
  it('shows a page of items, each with Keep and Revoke carrying its id in its own block', () => {
    const view = reviewModal(page());

    expectModalWithinLimits(view);
    expect(view.callback_id).toBe(CAMPAIGN_VIEW.review);
    expect(view.notify_on_close).toBe(true);
    for (let id = 101; id <= 110; id++) {
      const block = view.blocks.find((b) => json(b).block_id === itemBlockId(id));
      expect(json(block).elements).toEqual([
        expect.objectContaining({ action_id: REVIEW_ACTION.keep, value: String(id), style: 'primary' }),
        expect.objectContaining({ action_id: REVIEW_ACTION.revoke, value: String(id), style: 'danger' }),
      ]);
    }
    const text = mrkdwnStrings(view.blocks).join('\n');
    expect(text).toContain('*Holder 101* · holder101@acme.test');
    expect(text).toContain('Target DB / read');
    expect(text).toContain(':large_orange_circle: high');
    expect(text).toContain('request `req-101`');
    expect(text).toContain('3 of 40 decided · 37 open · page 1');
  });

  it('offers keep-all (with a confirmation) for the open items, and Next; Previous once past page 1', () => {
    const first = reviewModal(page());
    const pageActions = (v: ModalView) =>
      (json(v.blocks.find((b) => json(b).block_id === REVIEW_BLOCK.pageActions)).elements as Json[]) ?? [];

    expect(pageActions(first).map((b) => b.action_id)).toEqual([REVIEW_ACTION.keepPage, REVIEW_ACTION.next]);
    const keepAll = pageActions(first)[0] as Json;
    expect(json(keepAll.text).text).toBe('Keep all on this page (10)');
    expect(keepAll.value).toBe(CAMPAIGN_ID);
    expect(keepAll.confirm).toBeDefined();

    // The last page: 27 open items lie behind the cursor, so it leads back to them.
    const third = reviewModal(page({ hasNext: false }, { back: [0, 90] }));
    expect(pageActions(third).map((b) => b.action_id)).toEqual([
      REVIEW_ACTION.keepPage,
      REVIEW_ACTION.previous,
      REVIEW_ACTION.first,
    ]);
    const lastOpen = reviewModal(
      page({ hasNext: false, progress: { total: 30, decided: 20 } }, { back: [0, 90] }),
    );
    expect(pageActions(lastOpen).map((b) => b.action_id)).toEqual([
      REVIEW_ACTION.keepPage,
      REVIEW_ACTION.previous,
    ]);
    expect(mrkdwnStrings(third.blocks).join('\n')).toContain('page 3');
  });

  it('shows decisions on the page: no buttons on decided items unless changes are allowed', () => {
    const items = [
      item(1, { decision: 'keep' }),
      item(2, { decision: 'revoke', reason: 'left the team' }),
      item(3),
    ];
    const view = reviewModal(page({ items }));

    const text = mrkdwnStrings(view.blocks).join('\n');
    expect(text).toContain(':white_check_mark: *Kept*');
    expect(text).toContain(':no_entry: *Revoke*: left the team');
    const itemButtons = buttons(view.blocks).filter((b) => b.action_id === REVIEW_ACTION.keep);
    expect(itemButtons.map((b) => b.value)).toEqual(['3']);
    const keepAll = buttons(view.blocks).find((b) => b.action_id === REVIEW_ACTION.keepPage);
    expect(json(keepAll?.text).text).toBe('Keep all on this page (1)');

    const changeable = reviewModal(page({ items, allowChanges: true }));
    expect(
      buttons(changeable.blocks)
        .filter((b) => b.action_id === REVIEW_ACTION.keep)
        .map((b) => b.value),
    ).toEqual(['1', '2', '3']);
  });

  it('offers no decision at all once the campaign stops taking them, and says why', () => {
    const view = reviewModal(page({ open: false, statusText: 'enforcing' }));

    const actionIds = buttons(view.blocks).map((b) => b.action_id);
    expect(actionIds).not.toContain(REVIEW_ACTION.keep);
    expect(actionIds).not.toContain(REVIEW_ACTION.revoke);
    expect(actionIds).not.toContain(REVIEW_ACTION.keepPage);
    expect(actionIds).toContain(REVIEW_ACTION.next);
    expect(mrkdwnStrings(view.blocks).join('\n')).toContain('no longer takes decisions (it is enforcing)');
  });

  it('puts a note on top: done, or refused with a warning, escaped', () => {
    const done = reviewModal(page({ notice: { tone: 'done', text: 'Kept 1 item.' } }));
    const refused = reviewModal(page({ notice: { tone: 'refused', text: `Not recorded: ${HOSTILE}` } }));

    expect(mrkdwnStrings(done.blocks)).toContain(':white_check_mark: Kept 1 item.');
    expect(
      mrkdwnStrings(refused.blocks).some((t) => t.startsWith(':warning: Not recorded: &lt;!channel&gt;')),
    ).toBe(true);
    expectNothingPings(refused);
  });

  it('says when there is nothing to review, when all is decided, and leads back to skipped items', () => {
    const none = reviewModal(page({ items: [], hasNext: false, progress: { total: 0, decided: 0 } }));
    const allDone = reviewModal(page({ items: [], hasNext: false, progress: { total: 5, decided: 5 } }));
    const skipped = reviewModal(
      page({ items: [], hasNext: false, progress: { total: 5, decided: 3 } }, { afterId: 70 }),
    );

    expect(mrkdwnStrings(none.blocks)).toContain('You have no items to review in this campaign.');
    expect(mrkdwnStrings(allDone.blocks)).toContain('You have decided all 5 of your items. Thank you!');
    expect(buttons(skipped.blocks).map((b) => b.action_id)).toEqual([REVIEW_ACTION.first]);
  });

  it('stays within 100 blocks and every text limit with 15 hostile, huge items and a long note', () => {
    const long = `${HOSTILE} `.repeat(300);
    const items = Array.from({ length: 15 }, (_, i) =>
      item(1_000_000_000 + i, {
        holder: { name: long, email: long },
        resourceName: long,
        entitlementName: long,
        requestId: long,
        ...(i % 2 === 0 ? { decision: 'revoke' as const, reason: long } : {}),
        movedHere: 'escalated',
      }),
    );
    const view = reviewModal(
      page(
        { items, campaignName: long, notice: { tone: 'refused', text: long }, allowChanges: true },
        { back: Array.from({ length: 500 }, (_, i) => 9_000_000_000_000 + i), channel: 'D0123456789' },
      ),
    );

    expectModalWithinLimits(view);
    expectNothingPings(view);
  });
});

describe('review page state', () => {
  it('round-trips through private_metadata, keeping only the last pages to go back to', () => {
    const state: ReviewPageState = {
      campaignId: CAMPAIGN_ID,
      afterId: 120,
      itemIds: [121, 125, 130],
      back: Array.from({ length: REVIEW_BACK_PAGES + 10 }, (_, i) => i * 10),
      channel: 'DUDEV',
    };

    const parsed = parseReviewState(reviewStateMetadata(state));

    expect(parsed).toEqual({ ...state, back: state.back.slice(-REVIEW_BACK_PAGES) });
  });

  it('fits Slack metadata with the largest ids and the full history', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const state: ReviewPageState = {
      campaignId: CAMPAIGN_ID,
      afterId: big,
      itemIds: Array.from({ length: 15 }, () => big),
      back: Array.from({ length: REVIEW_BACK_PAGES }, () => big),
      channel: 'D0123456789',
    };
    expect(reviewStateMetadata(state).length).toBeLessThanOrEqual(3000);
    const reason = revokeReasonModal(item(1), { itemId: big, reviewViewId: 'V0123456789', state });
    expect(reason.private_metadata?.length).toBeLessThanOrEqual(3000);
  });

  it('refuses metadata that is not a review page', () => {
    for (const bad of [
      undefined,
      '',
      'not json',
      '{}',
      '{"c":1,"a":0,"i":[],"b":[]}',
      `{"c":"${CAMPAIGN_ID}","a":"0","i":[],"b":[]}`,
      `{"c":"${CAMPAIGN_ID}","a":0,"i":[1.5],"b":[]}`,
      `{"c":"${CAMPAIGN_ID}","a":0,"i":[-1],"b":[]}`,
      `{"c":"${CAMPAIGN_ID}","a":0,"i":[],"b":"x"}`,
    ]) {
      expect(parseReviewState(bad)).toBeUndefined();
    }
  });
});

describe('revokeReasonModal', () => {
  it('asks for a reason about one item and carries the review view back', () => {
    const state: ReviewPageState = { campaignId: CAMPAIGN_ID, afterId: 0, itemIds: [7, 8], back: [] };
    const view = revokeReasonModal(item(7, { holder: { name: HOSTILE, email: 'x@acme.test' } }), {
      itemId: 7,
      reviewViewId: 'VREVIEW',
      state,
    });

    expectModalWithinLimits(view);
    expectNothingPings(view);
    expect(view.callback_id).toBe(CAMPAIGN_VIEW.revokeReason);
    const input = json(view.blocks.find((b) => json(b).block_id === REVIEW_BLOCK.reason));
    expect(input.optional).toBeFalsy();
    expect(json(input.element).action_id).toBe(REVIEW_ACTION.reason);
    expect(parseRevokeReasonMetadata(view.private_metadata)).toEqual({
      itemId: 7,
      reviewViewId: 'VREVIEW',
      state,
    });
    expect(parseRevokeReasonMetadata('{"item":"7"}')).toBeUndefined();
  });
});

describe('launchModal', () => {
  const inputOf = (view: ModalView, block: string) =>
    json(view.blocks.find((b) => json(b).block_id === block));

  it('has every launch field, each input named after its block, and no default action chosen for the admin', () => {
    const view = launchModal({ resources: [{ key: 'db', name: 'Target DB' }] });

    expectModalWithinLimits(view);
    expect(view.callback_id).toBe(CAMPAIGN_VIEW.launch);
    for (const block of Object.values(LAUNCH_BLOCK)) {
      expect(json(inputOf(view, block).element).action_id).toBe(block);
    }
    expect(json(inputOf(view, LAUNCH_BLOCK.resources).element).type).toBe('multi_static_select');
    expect(json(inputOf(view, LAUNCH_BLOCK.riskLevels).element).type).toBe('checkboxes');
    expect(json(json(inputOf(view, LAUNCH_BLOCK.reviewerRule).element).initial_option).value).toBe('manager');
    expect(json(inputOf(view, LAUNCH_BLOCK.defaultAction).element).initial_option).toBeUndefined();
    expect(inputOf(view, LAUNCH_BLOCK.defaultAction).optional).toBeFalsy();
    expect(json(inputOf(view, LAUNCH_BLOCK.dueDays).element)).toMatchObject({
      type: 'number_input',
      is_decimal_allowed: false,
      min_value: '1',
    });
  });

  it('falls back to typed resource keys past Slack’s 100 options, or when a key is too long for one', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ key: `r${i}`, name: `Resource ${i}` }));
    const longKey = [{ key: 'k'.repeat(151), name: 'Long' }];

    for (const resources of [many, longKey, []]) {
      const view = launchModal({ resources });
      expectModalWithinLimits(view);
      expect(json(inputOf(view, LAUNCH_BLOCK.resources).element).type).toBe('plain_text_input');
    }
  });

  it('cuts long resource names to Slack’s option limit', () => {
    const view = launchModal({ resources: [{ key: 'db', name: 'N'.repeat(500) }] });
    expectModalWithinLimits(view);
  });
});

describe('launch confirmation and sign-off notice', () => {
  it('names the campaign and the sign-off command, escaped', () => {
    const launched = launchedModal({
      campaignId: CAMPAIGN_ID,
      name: HOSTILE,
      dueAt: '2030-02-01T17:00:00.000Z',
      defaultAction: 'revoke',
      created: true,
    });
    const signOff = signOffNeededMessage({ campaignId: CAMPAIGN_ID, name: HOSTILE, text: HOSTILE });

    expectModalWithinLimits(launched);
    expectMessageWithinLimits(signOff);
    expectNothingPings(launched);
    expectNothingPings(signOff);
    expect(mrkdwnStrings(launched.blocks).join('\n')).toContain(`/access campaign signoff ${CAMPAIGN_ID}`);
    expect(mrkdwnStrings(signOff.blocks).join('\n')).toContain(`/access campaign signoff ${CAMPAIGN_ID}`);
  });
});

describe('App Home reviews', () => {
  it('shows progress and a Review button per campaign', () => {
    const view = homeView({
      personName: 'Mia',
      openRequests: [],
      activeGrants: [],
      approvalsWaiting: [],
      reviews: [
        { campaignId: CAMPAIGN_ID, campaignName: 'Q4', pending: 3, total: 5, dueAt: '2030-02-01T17:00:00Z' },
      ],
    });

    expect(buttons(view.blocks)).toEqual([
      expect.objectContaining({ action_id: REVIEW_ACTION.open, value: CAMPAIGN_ID }),
    ]);
    expect(mrkdwnStrings(view.blocks).join('\n')).toContain('*Q4* · 2 of 5 decided · 3 to review');
  });
});
