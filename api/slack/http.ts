// /slack/events in the API server. The signature is checked here first, so a forged or replayed
// request is refused with 401 *and* recorded in the ledger (Bolt would only log it); a good one is
// handed, body and all, to Bolt's own HTTP receiver. A flood of forged requests is recorded as a
// few events with a count, and past the per-source limit answered 429 (api/refusal-limits.ts).

import { isValidSlackRequest } from '@slack/bolt';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { sourceOf } from '../actor.js';
import type { SlackApp } from './app.js';
import { SLACK_SOURCE } from './context.js';

/** Slack's own bound: a request older than this is a replay. */
const MAX_AGE_SECONDS = 5 * 60;

/** Why a request claiming to be from Slack is refused (kind and reason), or undefined when it is genuine. */
function rejection(
  request: FastifyRequest,
  body: Buffer,
  signingSecret: string,
): { kind: string; reason: string } | undefined {
  const signature = request.headers['x-slack-signature'];
  const timestamp = Number(request.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isInteger(timestamp)) {
    return { kind: 'slack.signature_missing', reason: 'signature headers missing' };
  }
  if (Math.abs(Date.now() / 1000 - timestamp) > MAX_AGE_SECONDS) {
    return { kind: 'slack.timestamp_stale', reason: 'timestamp older than five minutes' };
  }
  const valid = isValidSlackRequest({
    signingSecret,
    body: body.toString('utf8'),
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
  return valid ? undefined : { kind: 'slack.signature_mismatch', reason: 'signature does not match' };
}

/** The Fastify plugin serving POST /slack/events through Bolt's HTTP receiver. */
export function slackEventsRoute(slack: SlackApp): FastifyPluginAsync {
  const { httpReceiver, signingSecret } = slack;
  if (!httpReceiver || !signingSecret) throw new Error('the Slack app is not in HTTP mode');
  return async (app) => {
    // Raw bytes: the signature covers the body exactly as sent.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    // Out of the document: Slack is its only caller, and it signs rather than authenticates.
    app.post(
      '/slack/events',
      { schema: { hide: true, operationId: 'receiveSlackEvents' } },
      async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const refused = rejection(request, body, signingSecret);
        if (refused) {
          const limited = await app.refusals.refuse(request, reply, {
            door: 'slack',
            record: {
              kind: refused.kind,
              source: { ...sourceOf(request), ...SLACK_SOURCE },
              event: {
                event_type: 'security.slack.signature_rejected',
                actor: { type: 'system', id: 'unverified-slack-caller' },
                target: { type: 'endpoint', id: '/slack/events' },
                action: 'verify_signature',
                result: 'denied',
                reason: refused.reason,
                details: { bytes: body.length },
              },
            },
          });
          if (limited) return reply.code(429).send({ error: limited.code, message: limited.message });
          return reply
            .code(401)
            .send({ error: 'invalid_signature', message: 'Slack signature check failed' });
        }
        // Bolt reads a body already buffered on the request instead of the (consumed) stream.
        Object.assign(request.raw, { rawBody: body });
        reply.hijack();
        httpReceiver.requestListener(request.raw, reply.raw);
      },
    );
  };
}
