import { describe, expect, it } from 'vitest';
import { noticeMessage, securityAlertMessage } from '../../../slack/blocks/alerts.js';
import { accessListText, helpText } from '../../../slack/blocks/commands.js';
import { type GrantCard, grantExpiringMessage } from '../../../slack/blocks/grant.js';
import { type HomeModel, homeView } from '../../../slack/blocks/home.js';
import { ACTION, BLOCK, VIEW } from '../../../slack/blocks/ids.js';
import { type Block, type ModalView, type SlackPayload, truncate } from '../../../slack/blocks/kit.js';
import {
  DURATION_CHOICES_SECONDS,
  entitlementOptions,
  reasonModal,
  requestModal,
} from '../../../slack/blocks/modals.js';
import {
  approvalMessage,
  fulfilmentTaskMessage,
  type RequestCard,
  requestStatusMessage,
} from '../../../slack/blocks/request.js';

function requestCard(overrides: Partial<RequestCard> = {}): RequestCard {
  return {
    requestId: 'req_01',
    requester: { name: 'Alice Adams', email: 'alice@example.com', slackUserId: 'U0ALICE' },
    resourceName: 'Production DB',
    entitlementName: 'admin',
    risk: 'critical',
    durationText: '8h',
    reason: 'Incident INC-42: restore the orders table',
    plan: 'needs: your manager (Mia Manager), then 2 of Security',
    status: 'pending_approval',
    stepText: 'step 1 of 2',
    decisions: [],
    waitingOn: ['Mia Manager'],
    ...overrides,
  };
}

function grantCard(overrides: Partial<GrantCard> = {}): GrantCard {
  return {
    grantId: 'grant_01',
    holderName: 'Alice Adams',
    resourceName: 'Production DB',
    entitlementName: 'read-only',
    risk: 'medium',
    expiresAt: '2030-01-02T03:04:05.000Z',
    status: 'active',
    ...overrides,
  };
}

function decisions(count: number): RequestCard['decisions'] {
  return Array.from({ length: count }, (_, i) => ({
    approverName: `Approver ${i}`,
    decision: i % 2 === 0 ? ('approve' as const) : ('deny' as const),
    comment: `comment ${i}`,
  }));
}

type Json = Record<string, unknown>;

// Blocks are walked as plain JSON, the way Slack receives them.
function json(value: unknown): Json {
  return value as Json;
}

// Every button in a payload, wherever Slack allows one (actions blocks and section accessories).
function buttons(blocks: Block[]): Json[] {
  return blocks.flatMap((block) => {
    const b = json(block);
    const found: Json[] = [];
    if (b.type === 'actions') found.push(...(b.elements as Json[]).filter((e) => e.type === 'button'));
    const accessory = b.accessory as Json | undefined;
    if (accessory?.type === 'button') found.push(accessory);
    return found;
  });
}

function contextTexts(blocks: Block[]): string[] {
  return blocks
    .filter((block) => block.type === 'context')
    .flatMap((block) => (json(block).elements as Json[]).map((e) => e.text as string));
}

function sectionTexts(blocks: Block[]): string[] {
  return blocks
    .filter((block) => block.type === 'section')
    .flatMap((block) => {
      const b = block as { text?: { text: string }; fields?: { text: string }[] };
      return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
    });
}

// Slack's documented limits, checked on every block of a payload; returns what is over.
function limitViolations(blocks: Block[], maxBlocks: number): string[] {
  const problems: string[] = [];
  const over = (what: string, text: string | undefined, max: number) => {
    if (text !== undefined && text.length > max) problems.push(`${what}: ${text.length} > ${max}`);
  };
  if (blocks.length > maxBlocks) problems.push(`blocks: ${blocks.length} > ${maxBlocks}`);
  const checkButton = (button: Json) => {
    over('button text', (button.text as Json).text as string, 75);
    over('button value', button.value as string | undefined, 2000);
  };
  for (const block of blocks) {
    const b = json(block);
    switch (b.type) {
      case 'header':
        over('header', (b.text as Json).text as string, 150);
        break;
      case 'section': {
        over('section text', (b.text as Json | undefined)?.text as string | undefined, 3000);
        const fields = (b.fields as Json[] | undefined) ?? [];
        if (fields.length > 10) problems.push(`fields: ${fields.length} > 10`);
        for (const field of fields) over('field', field.text as string, 2000);
        if ((b.accessory as Json | undefined)?.type === 'button') checkButton(b.accessory as Json);
        break;
      }
      case 'context': {
        const elements = b.elements as Json[];
        if (elements.length > 10) problems.push(`context elements: ${elements.length} > 10`);
        for (const element of elements) over('context text', element.text as string, 3000);
        break;
      }
      case 'actions':
        for (const element of b.elements as Json[]) checkButton(element);
        break;
      case 'input': {
        over('input label', (b.label as Json).text as string, 2000);
        const options = ((b.element as Json).options as Json[] | undefined) ?? [];
        if (options.length > 100) problems.push(`options: ${options.length} > 100`);
        for (const option of options) over('option text', (option.text as Json).text as string, 75);
        break;
      }
    }
  }
  return problems;
}

// Every string Slack parses as mrkdwn (plain_text is shown literally, so it cannot ping anyone).
function mrkdwnStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnStrings);
  if (value === null || typeof value !== 'object') return [];
  const object = value as Json;
  const own = object.type === 'mrkdwn' && typeof object.text === 'string' ? [object.text] : [];
  return [...own, ...Object.values(object).flatMap(mrkdwnStrings)];
}

function expectMessageWithinLimits(message: SlackPayload): void {
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expect(limitViolations(message.blocks, 50)).toEqual([]);
}

function expectModalWithinLimits(view: ModalView): void {
  expect(view.type).toBe('modal');
  expect(view.title.text.length).toBeLessThanOrEqual(24);
  expect(view.submit?.text.length ?? 0).toBeLessThanOrEqual(24);
  expect(view.close?.text.length ?? 0).toBeLessThanOrEqual(24);
  expect(view.private_metadata?.length ?? 0).toBeLessThanOrEqual(3000);
  expect(limitViolations(view.blocks, 100)).toEqual([]);
}

describe('ids', () => {
  it('keeps the action, block and callback ids the listeners are written against', () => {
    expect(ACTION).toEqual({
      approve: 'request_approve',
      approveInConsole: 'request_approve_console',
      deny: 'request_deny',
      fulfilDone: 'fulfil_done',
      fulfilRefused: 'fulfil_refused',
      extend: 'grant_extend',
      release: 'grant_release',
      entitlement: 'entitlement_select',
      duration: 'duration_select',
      reason: 'reason_input',
    });
    expect(BLOCK).toEqual({ entitlement: 'entitlement', duration: 'duration', reason: 'reason' });
    expect(VIEW).toEqual({
      request: 'access_request',
      denyReason: 'deny_reason',
      fulfilRefused: 'fulfil_refused_reason',
    });
  });
});

describe('approvalMessage', () => {
  it('offers Approve (primary) and Deny (danger) carrying the request id while decidable', () => {
    const message = approvalMessage(requestCard(), { decidable: true });

    const found = buttons(message.blocks);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ action_id: ACTION.approve, value: 'req_01', style: 'primary' });
    expect(found[1]).toMatchObject({ action_id: ACTION.deny, value: 'req_01', style: 'danger' });
    expect(message.blocks[0]).toMatchObject({ type: 'header' });
    expect(message.text).toContain('Alice Adams');
    expect(message.text).toContain('critical');
    const texts = sectionTexts(message.blocks).join('\n');
    expect(texts).toContain('<@U0ALICE>');
    expect(texts).toContain(':red_circle: critical');
    expect(texts).toContain('pending approval (step 1 of 2)');
    expect(texts).toContain('Incident INC-42');
    expectMessageWithinLimits(message);
  });

  it('replaces the buttons by the outcome once decided, keeping the details', () => {
    const card = requestCard({
      status: 'denied',
      decisions: [{ approverName: 'Mia Manager', decision: 'deny', comment: 'not needed' }],
      waitingOn: [],
      outcome: 'denied by Mia Manager: not needed',
    });

    const message = approvalMessage(card, { decidable: false });

    expect(buttons(message.blocks)).toEqual([]);
    expect(message.blocks.some((block) => block.type === 'actions')).toBe(false);
    const last = contextTexts(message.blocks).at(-1);
    expect(last).toContain('Denied');
    expect(last).toContain('denied by Mia Manager: not needed');
    expect(sectionTexts(message.blocks).join('\n')).toContain('Incident INC-42');
    expect(message.text).toContain('denied');
    expectMessageWithinLimits(message);
  });

  it('says who decided when there is no outcome wording', () => {
    const card = requestCard({
      status: 'granted',
      decisions: [
        { approverName: 'Mia Manager', decision: 'approve' },
        { approverName: 'Sam Security', decision: 'approve' },
      ],
    });

    const message = approvalMessage(card, { decidable: false });

    expect(contextTexts(message.blocks).at(-1)).toBe(
      ':white_check_mark: *Granted* · decided by Mia Manager, Sam Security',
    );
  });

  it('uses the heading for reminders and escalations', () => {
    const message = approvalMessage(requestCard(), {
      decidable: true,
      heading: 'Escalated to you: Production DB',
    });

    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Escalated to you: Production DB' },
    });
    expect(message.text).toContain('Escalated to you');
  });

  it('escapes user text so a reason or name cannot ping anyone', () => {
    const card = requestCard({
      reason: '<!channel> urgent & <@U0BOSS> said so <https://evil.example|click>',
      requester: { name: '<!here> Mallory', email: 'm@example.com', slackUserId: '<!everyone>' },
      decisions: [{ approverName: '<!subteam^S1>', decision: 'approve', comment: '<!channel>' }],
      waitingOn: ['<!here>'],
      sodNote: '<!channel> conflicts',
    });

    const message = approvalMessage(card, { decidable: true });
    const json = [message.text, ...mrkdwnStrings(message.blocks)].join('\n');

    expect(json).not.toMatch(/<!(channel|here|everyone|subteam)/);
    expect(json).not.toContain('<@U0BOSS>');
    expect(json).not.toContain('<https://evil');
    expect(sectionTexts(message.blocks).join('\n')).toContain(
      '&lt;!channel&gt; urgent &amp; &lt;@U0BOSS&gt; said so &lt;https://evil.example|click&gt;',
    );
    expect(message.text).not.toContain('<!here>');
  });

  it('cuts a 10,000-character reason to fit a section, ending in …', () => {
    const message = approvalMessage(requestCard({ reason: 'x'.repeat(10_000) }), { decidable: true });

    const reason = sectionTexts(message.blocks).find((text) => text.startsWith('*Reason*'));
    expect(reason).toBeDefined();
    expect(reason!.length).toBeLessThanOrEqual(3000);
    expect(reason!.endsWith('…')).toBe(true);
    expectMessageWithinLimits(message);
  });

  it('never cuts an escaped character in half', () => {
    const message = approvalMessage(requestCard({ reason: '<'.repeat(5000) }), { decidable: true });

    const reason = sectionTexts(message.blocks).find((text) => text.startsWith('*Reason*'))!;
    expect(reason.length).toBeLessThanOrEqual(3000);
    expect(reason).toMatch(/(&lt;)+…$/);
  });

  it('caps 300 decisions and 300 approvers with "…and N more" under 50 blocks', () => {
    const card = requestCard({
      decisions: decisions(300),
      waitingOn: Array.from({ length: 300 }, (_, i) => `Security ${i}`),
    });

    const message = approvalMessage(card, { decidable: true });

    expect(message.blocks.length).toBeLessThan(50);
    const contexts = contextTexts(message.blocks);
    expect(contexts).toContain('…and 290 more decisions');
    expect(contexts).toContain('…and 290 more');
    const decisionText = sectionTexts(message.blocks).find((text) => text.startsWith('*Decisions*'))!;
    expect(decisionText).toContain('approved by *Approver 0*: comment 0');
    expect(decisionText).toContain('denied by *Approver 9*');
    expect(decisionText).not.toContain('Approver 10');
    expectMessageWithinLimits(message);
  });

  it('shows a separation-of-duties note as a warning', () => {
    const message = approvalMessage(requestCard({ sodNote: 'Alice already holds payments:approve' }), {
      decidable: true,
    });

    expect(contextTexts(message.blocks)).toContain(':warning: Alice already holds payments:approve');
  });

  it('shows the name, not a mention, when the requester has no Slack id', () => {
    const message = approvalMessage(
      requestCard({ requester: { name: 'Bob Brown', email: 'bob@example.com' } }),
      { decidable: true },
    );

    expect(sectionTexts(message.blocks).join('\n')).toContain('*Requester*\nBob Brown');
  });
});

describe('requestStatusMessage', () => {
  it('tells the requester what, for how long, why, the plan, status, decisions and outcome', () => {
    const card = requestCard({
      status: 'denied',
      decisions: [{ approverName: 'Mia Manager', decision: 'deny', comment: 'not needed' }],
      outcome: 'denied by Mia Manager: not needed',
    });

    const message = requestStatusMessage(card);

    const texts = sectionTexts(message.blocks).join('\n');
    expect(texts).not.toContain('*Requester*');
    expect(texts).toContain('Production DB / admin');
    expect(texts).toContain('*Duration*\n8h');
    expect(texts).toContain('denied by *Mia Manager*: not needed');
    const contexts = contextTexts(message.blocks);
    expect(contexts).toContain(':busts_in_silhouette: needs: your manager (Mia Manager), then 2 of Security');
    expect(contexts.at(-1)).toContain('denied by Mia Manager: not needed');
    expect(buttons(message.blocks)).toEqual([]);
    expect(message.text).toBe('Your request for Production DB / admin: denied by Mia Manager: not needed');
    expectMessageWithinLimits(message);
  });

  it('takes a heading', () => {
    const message = requestStatusMessage(requestCard(), 'Reminder sent to Mia Manager');

    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Reminder sent to Mia Manager' },
    });
  });
});

describe('fulfilmentTaskMessage', () => {
  it("offers Done (primary) and Can't do carrying the request id while open", () => {
    const message = fulfilmentTaskMessage(requestCard({ status: 'approved' }), { open: true });

    const found = buttons(message.blocks);
    expect(found.map((b) => [b.action_id, b.value, b.style])).toEqual([
      [ACTION.fulfilDone, 'req_01', 'primary'],
      [ACTION.fulfilRefused, 'req_01', undefined],
    ]);
    expect(message.text).toContain('Production DB / admin');
    expectMessageWithinLimits(message);
  });

  it('shows the outcome line instead of buttons once closed', () => {
    const message = fulfilmentTaskMessage(
      requestCard({ status: 'fulfilled', outcome: 'done by Olive Owner' }),
      { open: false },
    );

    expect(buttons(message.blocks)).toEqual([]);
    expect(contextTexts(message.blocks).at(-1)).toBe(':white_check_mark: *Fulfilled* — done by Olive Owner');
  });
});

describe('grantExpiringMessage', () => {
  it('offers Extend and Release carrying the grant id, Release asking first', () => {
    const message = grantExpiringMessage(grantCard(), { open: true });

    const [extend, release] = buttons(message.blocks);
    expect(extend).toMatchObject({ action_id: ACTION.extend, value: 'grant_01', style: 'primary' });
    expect(release).toMatchObject({ action_id: ACTION.release, value: 'grant_01' });
    expect(release!.confirm).toBeDefined();
    // The expiry is a date token so each reader sees their own time zone.
    const unix = Date.parse('2030-01-02T03:04:05.000Z') / 1000;
    expect(sectionTexts(message.blocks).join('\n')).toContain(`<!date^${unix}^`);
    expectMessageWithinLimits(message);
  });

  it('shows the outcome once answered', () => {
    const message = grantExpiringMessage(grantCard({ status: 'released', outcome: 'released by you' }), {
      open: false,
    });

    expect(buttons(message.blocks)).toEqual([]);
    expect(contextTexts(message.blocks).at(-1)).toContain('released by you');
  });

  it('shows an unparseable expiry as escaped text', () => {
    const message = grantExpiringMessage(grantCard({ expiresAt: '<soon>' }), { open: true });

    expect(sectionTexts(message.blocks).join('\n')).toContain('*Expires*\n&lt;soon&gt;');
  });
});

describe('noticeMessage', () => {
  it('puts the text in a section and the facts in fields', () => {
    const message = noticeMessage('Your access to Production DB was released.', {
      Grant: 'grant_01',
      By: 'you',
    });

    expect(message.text).toBe('Your access to Production DB was released.');
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: 'Your access to Production DB was released.' },
    });
    expect(sectionTexts(message.blocks.slice(1))).toEqual(['*Grant*\ngrant_01', '*By*\nyou']);
  });

  it('splits many facts into sections of ten and caps them', () => {
    const facts = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`key ${i}`, `value ${i}`]));

    const message = noticeMessage('Many facts', facts);

    expect(message.blocks.filter((b) => b.type === 'section')).toHaveLength(4);
    expect(contextTexts(message.blocks)).toEqual(['…and 15 more facts']);
    expectMessageWithinLimits(message);
  });

  it('keeps the fallback text short', () => {
    const message = noticeMessage('y'.repeat(10_000));

    expect(message.text.length).toBeLessThanOrEqual(300);
    expect(message.text.endsWith('…')).toBe(true);
    expectMessageWithinLimits(message);
  });
});

describe('entitlementOptions', () => {
  it('names each option "Resource / Entitlement (risk)" with value resource/entitlement', () => {
    const { options } = entitlementOptions([
      {
        resourceKey: 'prod-db',
        resourceName: 'Production DB',
        entitlementKey: 'admin',
        entitlementName: 'Admin',
        risk: 'high',
      },
    ]);

    expect(options).toEqual([
      { text: { type: 'plain_text', text: 'Production DB / Admin (high)' }, value: 'prod-db/admin' },
    ]);
  });

  it('caps at 100 options and 75 characters, keeping the risk visible', () => {
    const items = Array.from({ length: 250 }, (_, i) => ({
      resourceKey: `r${i}`,
      resourceName: 'R'.repeat(200),
      entitlementKey: `e${i}`,
      entitlementName: 'E'.repeat(200),
      risk: 'critical' as const,
    }));

    const { options } = entitlementOptions(items);

    expect(options).toHaveLength(100);
    for (const option of options) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.text.text).toMatch(/… \(critical\)$/);
    }
    expect(options[99]!.value).toBe('r99/e99');
  });

  it('leaves out an entitlement whose value Slack could not take rather than cutting it', () => {
    const { options } = entitlementOptions([
      {
        resourceKey: 'k'.repeat(200),
        resourceName: 'Long',
        entitlementKey: 'e',
        entitlementName: 'E',
        risk: 'low',
      },
      { resourceKey: 'ok', resourceName: 'Ok', entitlementKey: 'e', entitlementName: 'E', risk: 'low' },
    ]);

    expect(options.map((o) => o.value)).toEqual(['ok/e']);
  });
});

describe('requestModal', () => {
  function durationOptions(view: ModalView): { label: string; value: string }[] {
    const input = json(view.blocks.find((b) => b.block_id === BLOCK.duration));
    return ((input.element as Json).options as Json[]).map((o) => ({
      label: (o.text as Json).text as string,
      value: o.value as string,
    }));
  }

  it('has the entitlement search, duration and optional reason under the agreed ids', () => {
    const view = requestModal({ privateMetadata: '{"channel":"C1"}' });

    expect(view.callback_id).toBe(VIEW.request);
    expect(view.submit?.text).toBe('Request');
    expect(view.private_metadata).toBe('{"channel":"C1"}');
    expect(view.blocks.map((b) => [b.block_id, json(b).optional ?? false])).toEqual([
      [BLOCK.entitlement, false],
      [BLOCK.duration, false],
      [BLOCK.reason, true],
    ]);
    expect(view.blocks[0]).toMatchObject({
      element: { type: 'external_select', action_id: ACTION.entitlement, min_query_length: 0 },
    });
    expect(view.blocks[1]).toMatchObject({ element: { type: 'static_select', action_id: ACTION.duration } });
    expect(view.blocks[2]).toMatchObject({
      element: { type: 'plain_text_input', action_id: ACTION.reason, multiline: true },
    });
    expectModalWithinLimits(view);
  });

  it('offers every choice when unbounded, labelled in words, valued in seconds', () => {
    const options = durationOptions(requestModal({}));

    expect(options.map((o) => Number(o.value))).toEqual([...DURATION_CHOICES_SECONDS]);
    expect(options.slice(0, 4).map((o) => o.label)).toEqual(['1 hour', '4 hours', '8 hours', '1 day']);
    expect(options.at(-1)?.label).toBe('90 days');
  });

  it('offers only choices within maxSeconds', () => {
    const options = durationOptions(requestModal({ maxSeconds: 2 * 86_400 }));

    expect(options.map((o) => o.value)).toEqual(['3600', '14400', '28800', '86400']);
  });

  it('always offers at least the shortest choice', () => {
    expect(durationOptions(requestModal({ maxSeconds: 60 })).map((o) => o.value)).toEqual(['3600']);
  });

  it('omits private_metadata when none is given and refuses one Slack would reject', () => {
    expect('private_metadata' in requestModal({})).toBe(false);
    expect(() => requestModal({ privateMetadata: 'x'.repeat(3001) })).toThrow(RangeError);
  });
});

describe('reasonModal', () => {
  it('asks why a request is denied, with a required reason and the id in metadata', () => {
    const view = reasonModal('deny', 'req_01');

    expect(view.callback_id).toBe(VIEW.denyReason);
    expect(view.private_metadata).toBe('req_01');
    expect(view.blocks).toHaveLength(1);
    expect(view.blocks[0]).toMatchObject({
      block_id: BLOCK.reason,
      optional: false,
      element: { type: 'plain_text_input', action_id: ACTION.reason },
    });
    expectModalWithinLimits(view);
  });

  it("asks why a task can't be fulfilled", () => {
    expect(reasonModal('fulfil_refused', 'req_01').callback_id).toBe(VIEW.fulfilRefused);
  });

  it('cuts a long title to 24 characters', () => {
    const view = reasonModal('deny', 'req_01', 'Deny Production DB admin for Alice Adams');

    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.title.text.endsWith('…')).toBe(true);
  });
});

describe('homeView', () => {
  it('stays within 100 blocks with 500 of everything, saying how many were left out', () => {
    const model: HomeModel = {
      personName: 'Alice Adams',
      openRequests: Array.from({ length: 500 }, (_, i) => requestCard({ requestId: `req_${i}` })),
      activeGrants: Array.from({ length: 500 }, (_, i) => grantCard({ grantId: `grant_${i}` })),
      approvalsWaiting: Array.from({ length: 500 }, (_, i) => requestCard({ requestId: `wait_${i}` })),
      reviews: Array.from({ length: 500 }, (_, i) => ({
        campaignName: `Q${i}`,
        pending: i,
        dueAt: '2030-01-01T00:00:00Z',
      })),
    };

    const view = homeView(model);

    expect(view.type).toBe('home');
    expect(limitViolations(view.blocks, 100)).toEqual([]);
    const contexts = contextTexts(view.blocks);
    expect(contexts).toContain('…and 490 more waiting');
    expect(contexts).toContain('…and 485 more requests');
    expect(contexts).toContain('…and 480 more grants');
    expect(contexts).toContain('…and 490 more reviews');
  });

  it('gives each grant a Release button and each approval Approve / Deny', () => {
    const view = homeView({
      personName: 'Alice',
      openRequests: [],
      activeGrants: [grantCard({ grantId: 'grant_7' })],
      approvalsWaiting: [requestCard({ requestId: 'req_9' })],
    });

    expect(buttons(view.blocks).map((b) => [b.action_id, b.value])).toEqual([
      [ACTION.approve, 'req_9'],
      [ACTION.deny, 'req_9'],
      [ACTION.release, 'grant_7'],
    ]);
    const headers = view.blocks.filter((b) => b.type === 'header').map((b) => json(b).text as Json);
    expect(headers.map((h) => h.text)).toEqual([
      'Waiting for my approval',
      'My open requests',
      'My access',
      'My reviews',
    ]);
  });

  it('says so when a list is empty, reviews included', () => {
    const view = homeView({ personName: 'Alice', openRequests: [], activeGrants: [], approvalsWaiting: [] });

    expect(contextTexts(view.blocks)).toContain('No reviews assigned to you.');
    expect(contextTexts(view.blocks)).toContain('You have no open requests.');
    expect(buttons(view.blocks)).toEqual([]);
  });
});

describe('securityAlertMessage', () => {
  it('marks the severity in the header and lists the facts', () => {
    const message = securityAlertMessage({
      title: 'Break-glass access used',
      severity: 'critical',
      text: 'Alice used break-glass on Production DB',
      facts: { Who: 'Alice Adams', Resource: 'Production DB' },
    });

    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: ':rotating_light: CRITICAL Break-glass access used' },
    });
    expect(sectionTexts(message.blocks)).toContain('*Who*\nAlice Adams');
    expect(message.text).toBe('CRITICAL: Break-glass access used');
    expectMessageWithinLimits(message);
  });
});

describe('helpText', () => {
  it('lists the four commands without raw angle brackets', () => {
    const text = helpText();

    for (const command of [
      '`/access`',
      '`/access list`',
      '`/access release &lt;grant-id&gt;`',
      '`/access help`',
    ]) {
      expect(text).toContain(command);
    }
    expect(text).not.toMatch(/[<>]/);
  });
});

describe('accessListText', () => {
  it('lists grants and open requests with their ids, escaped', () => {
    const text = accessListText(
      [grantCard({ resourceName: 'Prod <DB>' })],
      [requestCard({ requestId: 'req_5' })],
    );

    expect(text).toContain('*Your access* (1)');
    expect(text).toContain('Prod &lt;DB&gt; / read-only');
    expect(text).toContain('`grant_01`');
    expect(text).toContain('*Your open requests* (1)');
    expect(text).toContain('pending approval (step 1 of 2)');
    expect(text).toContain('`req_5`');
  });

  it('says so when there is nothing', () => {
    const text = accessListText([], []);

    expect(text).toContain('You hold no access through grantflow.');
    expect(text).toContain('You have no open requests.');
  });

  it('caps long lists and stays within a section', () => {
    const grants = Array.from({ length: 500 }, (_, i) => grantCard({ grantId: `grant_${i}` }));
    const requests = Array.from({ length: 500 }, (_, i) => requestCard({ requestId: `req_${i}` }));

    const text = accessListText(grants, requests);

    expect(text.length).toBeLessThanOrEqual(3000);
    const [access, open] = text.split('*Your open requests*');
    expect(access).toContain('`grant_0`');
    expect(access).toMatch(/…and \d+ more\n/);
    expect(open).toContain('`req_0`');
    expect(open).toMatch(/…and \d+ more$/);
  });
});

describe('truncate', () => {
  it('leaves short text alone and marks cut text with …', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcdef', 0)).toBe('');
  });

  it('never splits a surrogate pair', () => {
    const cut = truncate('ab😀cd', 4);

    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });
});

describe('every builder', () => {
  const long = `<!channel> & ${'z'.repeat(20_000)}`;
  const hostile = requestCard({
    requester: { name: long, email: long, slackUserId: 'U0ALICE' },
    resourceName: long,
    entitlementName: long,
    durationText: long,
    reason: long,
    plan: long,
    status: long,
    stepText: long,
    decisions: decisions(300).map((d) => ({ ...d, approverName: long, comment: long })),
    waitingOn: Array.from({ length: 300 }, () => long),
    sodNote: long,
    outcome: long,
  });
  const hostileGrant = grantCard({
    holderName: long,
    resourceName: long,
    entitlementName: long,
    outcome: long,
  });
  const hostileFacts = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${long}${i}`, long]));
  const messages: [string, () => SlackPayload][] = [
    ['approvalMessage decidable', () => approvalMessage(hostile, { decidable: true, heading: long })],
    ['approvalMessage decided', () => approvalMessage(hostile, { decidable: false })],
    ['requestStatusMessage', () => requestStatusMessage(hostile, long)],
    ['fulfilmentTaskMessage open', () => fulfilmentTaskMessage(hostile, { open: true })],
    ['fulfilmentTaskMessage closed', () => fulfilmentTaskMessage(hostile, { open: false, heading: long })],
    ['grantExpiringMessage open', () => grantExpiringMessage(hostileGrant, { open: true })],
    ['grantExpiringMessage closed', () => grantExpiringMessage(hostileGrant, { open: false })],
    ['noticeMessage', () => noticeMessage(long, hostileFacts)],
    [
      'securityAlertMessage',
      () => securityAlertMessage({ title: long, severity: 'high', text: long, facts: hostileFacts }),
    ],
  ];

  it.each(messages)('%s stays within Slack limits, escaped and JSON-serialisable', (_, build) => {
    const message = build();

    expectMessageWithinLimits(message);
    for (const text of [message.text, ...mrkdwnStrings(message.blocks)])
      expect(text).not.toContain('<!channel>');
    expect(JSON.parse(JSON.stringify(message))).toStrictEqual(message);
  });

  it('views and texts are JSON-serialisable and within limits too', () => {
    const hostileModel: HomeModel = {
      personName: long,
      openRequests: Array.from({ length: 50 }, () => hostile),
      activeGrants: Array.from({ length: 50 }, () => hostileGrant),
      approvalsWaiting: Array.from({ length: 50 }, () => hostile),
      reviews: Array.from({ length: 50 }, () => ({ campaignName: long, pending: 1, dueAt: long })),
    };
    const views = [
      requestModal({ maxSeconds: 86_400, privateMetadata: 'm' }),
      reasonModal('deny', 'req', long),
    ];
    const home = homeView(hostileModel);
    const options = entitlementOptions([
      { resourceKey: 'r', resourceName: long, entitlementKey: 'e', entitlementName: long, risk: 'low' },
    ]);

    for (const view of views) {
      expectModalWithinLimits(view);
      expect(JSON.parse(JSON.stringify(view))).toStrictEqual(view);
    }
    expect(limitViolations(home.blocks, 100)).toEqual([]);
    for (const text of mrkdwnStrings(home.blocks)) expect(text).not.toContain('<!channel>');
    expect(JSON.parse(JSON.stringify(home))).toStrictEqual(home);
    expect(JSON.parse(JSON.stringify(options))).toStrictEqual(options);
    const list = accessListText(Array(50).fill(hostileGrant), Array(50).fill(hostile));
    expect(list.length).toBeLessThanOrEqual(3000);
    expect(list).not.toContain('<!channel>');
    expect(JSON.parse(JSON.stringify(helpText()))).toBe(helpText());
  });
});
