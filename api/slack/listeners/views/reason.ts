import type { ViewOutput } from '@slack/bolt';
import { ACTION, BLOCK } from '../../../../slack/blocks/ids.js';
import { textInput } from '../../view-state.js';

/** The trimmed reason typed into a reason modal, or undefined when blank. */
export function reasonOf(view: ViewOutput): string | undefined {
  return textInput(view, BLOCK.reason, ACTION.reason)?.trim() || undefined;
}
