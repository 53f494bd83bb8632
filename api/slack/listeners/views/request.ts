// The /access modal submitted: checked before it is acknowledged, so a bad duration or a missing
// reason shows in the modal; then filed exactly like an API request. The DM with the plan follows
// from the workflow (request_submitted).
import type { App } from '@slack/bolt';
import { GrantflowError } from '../../../../core/errors.js';
import { checkAccessRequest, submitAccessRequest } from '../../../../requests/submit.js';
import { ACTION, BLOCK, VIEW } from '../../../../slack/blocks/ids.js';
import { personOf, SLACK_SOURCE, type SlackContext } from '../../context.js';
import { selectedOption } from '../../view-state.js';
import { reasonOf } from './reason.js';

/** Which modal block a refused field belongs to. */
function blockOf(field: string): string {
  if (field.includes('duration')) return BLOCK.duration;
  if (field.includes('reason')) return BLOCK.reason;
  return BLOCK.entitlement;
}

/** Registers the request modal's submission. */
export function registerRequestSubmit(app: App, ctx: SlackContext): void {
  app.view(VIEW.request, async ({ ack, view, body, context, client }) => {
    const person = personOf(context);
    const [resourceKey = '', entitlementKey = ''] = (
      selectedOption(view, BLOCK.entitlement, ACTION.entitlement) ?? ''
    ).split('/');
    const durationSeconds = Number(selectedOption(view, BLOCK.duration, ACTION.duration));
    const reason = reasonOf(view);
    const me = { id: person.id, email: person.email, name: person.name };
    const input = {
      requester: me,
      resourceKey,
      entitlementKey,
      durationSeconds,
      ...(reason ? { reason } : {}),
    };
    if (!resourceKey || !entitlementKey) {
      return ack({
        response_action: 'errors',
        errors: { [BLOCK.entitlement]: 'Choose what you need access to' },
      });
    }
    if (!Number.isInteger(durationSeconds) || durationSeconds <= 0) {
      return ack({ response_action: 'errors', errors: { [BLOCK.duration]: 'Choose a duration' } });
    }
    try {
      await checkAccessRequest(ctx.db, input);
    } catch (error) {
      if (!(error instanceof GrantflowError) || error.status >= 500) throw error;
      const fields = (error.details?.fields as { field: string; message: string }[] | undefined) ?? [];
      const errors: Record<string, string> = {};
      for (const { field, message } of fields) errors[blockOf(field)] = message;
      if (fields.length === 0) errors[BLOCK.entitlement] = error.message;
      return ack({ response_action: 'errors', errors });
    }
    await ack();
    try {
      await submitAccessRequest(ctx.submit, { ...input, submittedBy: me, source: SLACK_SOURCE });
    } catch (error) {
      ctx.log.error({ err: error, person: person.email }, 'filing a request from Slack failed');
      await client.chat.postMessage({
        channel: body.user.id,
        text: `Your request could not be filed: ${(error as Error).message}. Please try again.`,
      });
    }
  });
}
