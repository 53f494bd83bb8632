// A request whose approval needs a passkey: its Approve never decides in Slack; it opens the
// console's confirm page, where the passkey is asked for.
import { describe, expect, it } from 'vitest';
import { homeView } from '../../../slack/blocks/home.js';
import { ACTION } from '../../../slack/blocks/ids.js';
import type { Block } from '../../../slack/blocks/kit.js';
import { approvalMessage, type RequestCard } from '../../../slack/blocks/request.js';
import { messageRefusal, viewRefusal } from '../../helpers/slack-limits.js';

type Json = Record<string, unknown>;

const card = (overrides: Partial<RequestCard> = {}): RequestCard => ({
  requestId: '0c6f3d5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
  requester: { name: 'Alice Adams', email: 'alice@example.com' },
  resourceName: 'Production DB',
  entitlementName: 'admin',
  risk: 'critical',
  durationText: '8h',
  status: 'pending_approval',
  decisions: [],
  stepUp: true,
  ...overrides,
});

const buttonsOf = (blocks: Block[]): Json[] =>
  blocks.flatMap((block) => {
    const b = block as unknown as Json;
    return b.type === 'actions' ? (b.elements as Json[]).filter((e) => e.type === 'button') : [];
  });

const CONSOLE = 'https://grantflow.acme.test';

describe('approval card of a request that needs a passkey', () => {
  it('makes Approve a link to the console confirm page, with no value to decide on, and keeps Deny', () => {
    const message = approvalMessage(card(), { decidable: true, consoleUrl: CONSOLE });

    const [approve, deny, ...rest] = buttonsOf(message.blocks);
    expect(rest).toEqual([]);
    expect(approve).toEqual({
      type: 'button',
      text: { type: 'plain_text', text: 'Approve with passkey', emoji: true },
      action_id: ACTION.approveInConsole,
      url: `${CONSOLE}/requests/0c6f3d5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f/confirm?decision=approve`,
      style: 'primary',
    });
    expect(approve?.action_id).not.toBe(ACTION.approve);
    expect(deny).toMatchObject({ action_id: ACTION.deny, value: card().requestId, style: 'danger' });
    expect(JSON.stringify(message.blocks)).toContain('needs your passkey');
    expect(messageRefusal({ channel: 'D1', text: message.text, blocks: message.blocks })).toBeUndefined();
  });

  it('offers only Deny when no console URL is known: a click must never approve it', () => {
    const message = approvalMessage(card(), { decidable: true });

    expect(buttonsOf(message.blocks).map((b) => b.action_id)).toEqual([ACTION.deny]);
  });

  it('keeps the ordinary Approve button for a request that needs no passkey', () => {
    const message = approvalMessage(card({ stepUp: false, risk: 'medium' }), {
      decidable: true,
      consoleUrl: CONSOLE,
    });

    const [approve] = buttonsOf(message.blocks);
    expect(approve).toMatchObject({ action_id: ACTION.approve, value: card().requestId });
    expect(approve?.url).toBeUndefined();
    expect(JSON.stringify(message.blocks)).not.toContain('passkey');
  });

  it('links Approve to the console on the App Home too', () => {
    const view = homeView({
      personName: 'Mia',
      openRequests: [],
      activeGrants: [],
      approvalsWaiting: [card(), card({ requestId: 'r2', stepUp: false })],
      consoleUrl: CONSOLE,
    });

    const approves = buttonsOf(view.blocks).filter((b) => b.style === 'primary');
    expect(approves.map((b) => [b.action_id, b.url ?? b.value])).toEqual([
      [ACTION.approveInConsole, `${CONSOLE}/requests/${card().requestId}/confirm?decision=approve`],
      [ACTION.approve, 'r2'],
    ]);
    expect(viewRefusal(view as unknown as Json)).toBeUndefined();
  });
});
