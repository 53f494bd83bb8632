// What a submitted modal's inputs hold (view.state.values[block][action]), read without trusting
// the shape: Slack sends the shapes its elements define, but a signed payload is only as good as
// whoever holds the signing secret, and a listener must not throw on a missing or mistyped field.
import type { ViewOutput } from '@slack/bolt';

type Input = Record<string, unknown>;

const isRecord = (value: unknown): value is Input =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const own = (record: Input, key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);

/** The state of one input element; empty when the view, its state or the element is missing. */
function inputOf(view: ViewOutput, block: string, action: string): Input {
  const state: unknown = (view as { state?: unknown }).state;
  const values = isRecord(state) ? own(state, 'values') : undefined;
  const inBlock = isRecord(values) ? own(values, block) : undefined;
  const input = isRecord(inBlock) ? own(inBlock, action) : undefined;
  return isRecord(input) ? input : {};
}

const optionValue = (option: unknown): string | undefined => {
  const value = isRecord(option) ? own(option, 'value') : undefined;
  return typeof value === 'string' ? value : undefined;
};

/** What was typed into a text, email or number input; undefined when nothing (or no text) is there. */
export function textInput(view: ViewOutput, block: string, action: string): string | undefined {
  const value = own(inputOf(view, block, action), 'value');
  return typeof value === 'string' ? value : undefined;
}

/** The value of the option chosen in a select or radio group. */
export function selectedOption(view: ViewOutput, block: string, action: string): string | undefined {
  return optionValue(own(inputOf(view, block, action), 'selected_option'));
}

/** The values chosen in a multi-select or checkboxes; undefined when the input holds no such list. */
export function selectedOptions(view: ViewOutput, block: string, action: string): string[] | undefined {
  const options = own(inputOf(view, block, action), 'selected_options');
  if (!Array.isArray(options)) return undefined;
  return options.map(optionValue).filter((value): value is string => value !== undefined && value !== '');
}
