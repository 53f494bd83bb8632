import { describe, expect, it } from 'vitest';
import { type GrantCard, grantExpiringMessage } from '../../../slack/blocks/grant.js';
import { homeView } from '../../../slack/blocks/home.js';
import { ACTION, REVIEW_ACTION } from '../../../slack/blocks/ids.js';
import type { Block } from '../../../slack/blocks/kit.js';
import { approvalMessage, fulfilmentTaskMessage, type RequestCard } from '../../../slack/blocks/request.js';
import { REVIEW_PAGE_SIZE, type ReviewItemCard, reviewModal } from '../../../slack/blocks/review-modal.js';
import { messageRefusal, viewRefusal } from '../../helpers/slack-limits.js';

// The buttons that act at once and are hard to undo ask first, with a Block Kit confirm dialog.
// Its words are the last thing a person reads before acting, so they are pinned here exactly:
// a dialog that lost its confirm object, or says the wrong thing, fails a test.

// biome-ignore lint/suspicious/noExplicitAny: Block Kit as the builders made it
type Json = any;

const grant: GrantCard = {
  grantId: 'grant_01',
  holderName: 'Alice Adams',
  resourceName: 'Production DB',
  entitlementName: 'read-only',
  risk: 'medium',
  expiresAt: '2030-01-02T03:04:05.000Z',
  status: 'active',
};

const request: RequestCard = {
  requestId: 'req_01',
  requester: { name: 'Alice Adams', email: 'alice@example.com', slackUserId: 'U0ALICE' },
  resourceName: 'Production DB',
  entitlementName: 'admin',
  risk: 'critical',
  durationText: '8h',
  status: 'pending_approval',
  decisions: [],
};

const CAMPAIGN_ID = '3f1c2b7e-0000-4000-8000-000000000001';

function item(itemId: number, decision?: ReviewItemCard['decision']): ReviewItemCard {
  return {
    itemId,
    holder: { name: `Holder ${itemId}`, email: `holder${itemId}@acme.test` },
    resourceName: 'Target DB',
    entitlementName: 'read',
    risk: 'high',
    grantedAt: '2030-01-02T03:04:05.000Z',
    ...(decision ? { decision } : {}),
  };
}

function reviewPage(decided: number) {
  const items = Array.from({ length: REVIEW_PAGE_SIZE }, (_, i) =>
    item(101 + i, i < decided ? 'keep' : undefined),
  );
  return reviewModal({
    campaignName: 'Q4 access review',
    dueAt: '2030-02-01T17:00:00.000Z',
    open: true,
    allowChanges: false,
    progress: { total: 40, decided },
    hasNext: true,
    items,
    state: { campaignId: CAMPAIGN_ID, afterId: 100, itemIds: items.map((i) => i.itemId), back: [] },
  });
}

/** Every button of some blocks (actions blocks and section accessories). */
const buttons = (blocks: Block[]): Json[] =>
  (blocks as Json[]).flatMap((b) =>
    b.type === 'actions' ? b.elements : b.accessory?.type === 'button' ? [b.accessory] : [],
  );

const buttonOf = (blocks: Block[], actionId: string): Json => {
  const found = buttons(blocks).filter((b) => b.action_id === actionId);
  expect(found, `one ${actionId} button`).toHaveLength(1);
  return found[0];
};

/** A confirm dialog's words; every text but `text` must be plain_text, as Slack requires. */
function wording(confirm: Json) {
  expect(confirm, 'a confirm dialog').toBeDefined();
  for (const part of ['title', 'confirm', 'deny']) expect(confirm[part].type).toBe('plain_text');
  return {
    title: confirm.title.text,
    text: confirm.text.text,
    confirm: confirm.confirm.text,
    deny: confirm.deny.text,
    style: confirm.style,
  };
}

const RELEASE = {
  title: 'Release this access?',
  text: 'You will lose this access now. Getting it back needs a new request.',
  confirm: 'Release',
  deny: 'Keep it',
  style: 'danger',
};

describe('confirm dialogs', () => {
  it('Release in the "expires soon" DM asks first, in red', () => {
    const message = grantExpiringMessage(grant, { open: true });
    const release = buttonOf(message.blocks, ACTION.release);

    expect(release.value).toBe('grant_01');
    expect(wording(release.confirm)).toEqual(RELEASE);
    expect(messageRefusal(message)).toBeUndefined();
  });

  it('Release on the App Home asks the same, for every grant', () => {
    const view = homeView({
      personName: 'Alice',
      openRequests: [],
      activeGrants: [grant, { ...grant, grantId: 'grant_02' }],
      approvalsWaiting: [],
    });
    const releases = buttons(view.blocks).filter((b) => b.action_id === ACTION.release);

    expect(releases.map((b) => b.value)).toEqual(['grant_01', 'grant_02']);
    for (const release of releases) expect(wording(release.confirm)).toEqual(RELEASE);
    expect(viewRefusal(view)).toBeUndefined();
  });

  it('Keep all on a review page asks first, naming how many open items it keeps', () => {
    const view = reviewPage(0);
    const keepAll = buttonOf(view.blocks, REVIEW_ACTION.keepPage);

    expect(keepAll.value).toBe(CAMPAIGN_ID);
    expect(wording(keepAll.confirm)).toEqual({
      title: 'Keep all on this page?',
      text: 'You certify that the 10 open items on this page should stay.',
      confirm: 'Keep all',
      deny: 'Go back',
      style: undefined,
    });
    expect(viewRefusal(view)).toBeUndefined();
  });

  it('counts only the items still open in the Keep all dialog', () => {
    const keepAll = buttonOf(reviewPage(3).blocks, REVIEW_ACTION.keepPage);

    expect(keepAll.text.text).toBe('Keep all on this page (7)');
    expect(wording(keepAll.confirm).text).toBe('You certify that the 7 open items on this page should stay.');
  });

  it('is on exactly the buttons that act at once; Deny and Revoke ask for a reason in a modal instead', () => {
    const surfaces: Block[][] = [
      grantExpiringMessage(grant, { open: true }).blocks,
      homeView({
        personName: 'Alice',
        openRequests: [request],
        activeGrants: [grant],
        approvalsWaiting: [request],
      }).blocks,
      approvalMessage(request, { decidable: true }).blocks,
      fulfilmentTaskMessage({ ...request, status: 'awaiting_fulfilment' }, { open: true }).blocks,
      reviewPage(0).blocks,
    ];
    const all = surfaces.flatMap(buttons);
    const guarded = [...new Set(all.filter((b) => b.confirm).map((b) => b.action_id))].sort();

    expect(guarded).toEqual([ACTION.release, REVIEW_ACTION.keepPage].sort());
    // The destructive ones without a dialog are there, so the check above is not vacuous.
    const ids = new Set(all.map((b) => b.action_id));
    for (const id of [ACTION.deny, REVIEW_ACTION.revoke, ACTION.fulfilRefused]) expect(ids).toContain(id);
  });
});
