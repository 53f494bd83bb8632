// The App Home: rendered when opened, and again after a button on it was used.
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Person } from '../../../../db/schema.js';
import { personOf, type SlackContext } from '../../context.js';
import { publishHome } from '../../home.js';

/** Registers app_home_opened. */
export function registerAppHome(app: App, ctx: SlackContext): void {
  app.event('app_home_opened', async ({ event, context, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(ctx, client, personOf(context), event.user);
  });
}

/** Re-renders the App Home when the click came from it, so it shows the result. */
export async function refreshHomeIfThere(
  ctx: SlackContext,
  client: WebClient,
  body: { user: { id: string }; view?: { type?: string } | undefined },
  person: Person,
): Promise<void> {
  if (body.view?.type === 'home') await publishHome(ctx, client, person, body.user.id);
}
