import type { ViewOutput } from '@slack/bolt';
import { ACTION, BLOCK } from '../../../../slack/blocks/ids.js';

/** The trimmed reason typed into a reason modal, or undefined when blank. */
export function reasonOf(view: ViewOutput): string | undefined {
  const values = view.state.values as Record<string, Record<string, { value?: string | null }>>;
  return values[BLOCK.reason]?.[ACTION.reason]?.value?.trim() || undefined;
}
