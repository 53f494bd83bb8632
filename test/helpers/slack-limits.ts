// Slack's documented payload limits, checked the way Slack checks them, so the fake Slack refuses
// what the real one would (msg_too_long, invalid_blocks) instead of recording it as delivered.
// The numbers are written out here on purpose, not imported from slack/blocks.ts: a limit the
// production code got wrong must not be mirrored by the fake that tests it.
// Sources: docs.slack.dev reference for chat.postMessage, blocks, block elements, composition
// objects and view objects.

/** A refusal as Slack words it: the error code, and Slack-style details naming the offending path. */
export type SlackRefusal = { error: 'msg_too_long' | 'invalid_blocks'; errors: string[] };

/** Slack's limits (characters unless said otherwise). */
const SLACK_LIMITS = {
  messageText: 40_000,
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  textObject: 3000,
  contextElements: 10,
  actionsElements: 25,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  optionText: 75,
  optionValue: 150,
  options: 100,
  inputLabel: 2000,
  inputHint: 2000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
} as const;

// biome-ignore lint/suspicious/noExplicitAny: Block Kit as the app sent it, checked field by field
type Json = any;

/** Collects problems as Slack reports them: "must be less than N characters [json-pointer:/blocks/0/text/text]". */
class Problems {
  readonly errors: string[] = [];

  add(message: string, path: string): void {
    this.errors.push(`${message} [json-pointer:${path}]`);
  }

  /** A required text object whose `text` is 1..max characters (and plain_text when `plainOnly`). */
  text(value: Json, max: number, path: string, plainOnly = false): void {
    if (typeof value?.text !== 'string') {
      this.add('must provide a text object', path);
      return;
    }
    if (plainOnly && value.type !== 'plain_text') this.add('must be a plain_text object', `${path}/type`);
    this.length(value.text, max, `${path}/text`, 1);
  }

  length(value: unknown, max: number, path: string, min = 0): void {
    if (value === undefined && min === 0) return;
    const length = typeof value === 'string' ? value.length : 0;
    if (length < min) this.add(`must be more than ${min - 1} characters`, path);
    if (length > max) this.add(`must be less than ${max + 1} characters`, path);
  }

  count(items: unknown, max: number, path: string, min = 0): void {
    const length = Array.isArray(items) ? items.length : 0;
    if (length < min) this.add(`must provide at least ${min} items`, path);
    if (length > max) this.add(`must provide no more than ${max} items`, path);
  }
}

function checkConfirm(confirm: Json, path: string, p: Problems): void {
  if (confirm === undefined) return;
  p.text(confirm.title, SLACK_LIMITS.confirmTitle, `${path}/title`, true);
  p.text(confirm.text, SLACK_LIMITS.confirmText, `${path}/text`);
  p.text(confirm.confirm, SLACK_LIMITS.confirmButton, `${path}/confirm`, true);
  p.text(confirm.deny, SLACK_LIMITS.confirmButton, `${path}/deny`, true);
}

function checkOptions(options: Json, path: string, p: Problems): void {
  if (options === undefined) return;
  p.count(options, SLACK_LIMITS.options, path, 1);
  (options as Json[]).forEach((option, i) => {
    p.text(option?.text, SLACK_LIMITS.optionText, `${path}/${i}/text`);
    p.length(option?.value, SLACK_LIMITS.optionValue, `${path}/${i}/value`, 1);
  });
}

function checkElement(element: Json, path: string, p: Problems): void {
  p.length(element?.action_id, SLACK_LIMITS.actionId, `${path}/action_id`);
  checkConfirm(element?.confirm, `${path}/confirm`, p);
  if (element?.type === 'button') {
    p.text(element.text, SLACK_LIMITS.buttonText, `${path}/text`, true);
    p.length(element.value, SLACK_LIMITS.buttonValue, `${path}/value`);
  }
  checkOptions(element?.options, `${path}/options`, p);
}

function checkBlock(block: Json, path: string, p: Problems): void {
  p.length(block?.block_id, SLACK_LIMITS.blockId, `${path}/block_id`);
  switch (block?.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined)
        p.add('must provide either text or fields', path);
      if (block.text !== undefined) p.text(block.text, SLACK_LIMITS.sectionText, `${path}/text`);
      if (block.fields !== undefined) {
        p.count(block.fields, SLACK_LIMITS.sectionFields, `${path}/fields`, 1);
        for (const [i, field] of (block.fields as Json[]).entries()) {
          p.text(field, SLACK_LIMITS.fieldText, `${path}/fields/${i}`);
        }
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${path}/accessory`, p);
      return;
    case 'header':
      p.text(block.text, SLACK_LIMITS.headerText, `${path}/text`, true);
      return;
    case 'context':
      p.count(block.elements, SLACK_LIMITS.contextElements, `${path}/elements`, 1);
      (block.elements as Json[] | undefined)?.forEach((element, i) => {
        if (element?.type !== 'image') p.text(element, SLACK_LIMITS.textObject, `${path}/elements/${i}`);
      });
      return;
    case 'actions':
      p.count(block.elements, SLACK_LIMITS.actionsElements, `${path}/elements`, 1);
      for (const [i, element] of ((block.elements as Json[] | undefined) ?? []).entries()) {
        checkElement(element, `${path}/elements/${i}`, p);
      }
      return;
    case 'input':
      p.text(block.label, SLACK_LIMITS.inputLabel, `${path}/label`, true);
      if (block.hint !== undefined) p.text(block.hint, SLACK_LIMITS.inputHint, `${path}/hint`, true);
      checkElement(block.element, `${path}/element`, p);
      return;
    case 'divider':
    case 'image':
    case 'rich_text':
    case 'markdown':
      return;
    default:
      p.add(`unsupported type: ${String(block?.type)}`, `${path}/type`);
  }
}

function checkBlocks(blocks: Json, max: number, path: string, p: Problems): void {
  if (blocks === undefined) return;
  if (!Array.isArray(blocks)) {
    p.add('must be an array', path);
    return;
  }
  p.count(blocks, max, path);
  const ids = new Set<string>();
  blocks.forEach((block, i) => {
    if (typeof block?.block_id === 'string') {
      if (ids.has(block.block_id)) p.add('duplicate block_id', `${path}/${i}/block_id`);
      ids.add(block.block_id);
    }
    checkBlock(block, `${path}/${i}`, p);
  });
}

/** Why Slack would refuse a message (chat.postMessage, chat.update, chat.postEphemeral), if it would. */
export function messageRefusal(args: Json): SlackRefusal | undefined {
  if (typeof args.text === 'string' && args.text.length > SLACK_LIMITS.messageText) {
    return { error: 'msg_too_long', errors: [`text is ${args.text.length} characters`] };
  }
  const p = new Problems();
  checkBlocks(args.blocks, SLACK_LIMITS.messageBlocks, '/blocks', p);
  return p.errors.length > 0 ? { error: 'invalid_blocks', errors: p.errors } : undefined;
}

/** Why Slack would refuse a view (views.open/push/update/publish), if it would. */
export function viewRefusal(view: Json): SlackRefusal | undefined {
  const p = new Problems();
  if (typeof view !== 'object' || view === null) {
    p.add('must provide a view object', '/view');
  } else {
    checkBlocks(view.blocks, SLACK_LIMITS.viewBlocks, '/view/blocks', p);
    if (view.type === 'modal') {
      p.text(view.title, SLACK_LIMITS.viewTitle, '/view/title', true);
      if (view.submit !== undefined) p.text(view.submit, SLACK_LIMITS.viewButton, '/view/submit', true);
      if (view.close !== undefined) p.text(view.close, SLACK_LIMITS.viewButton, '/view/close', true);
    } else if (view.type !== 'home') {
      p.add(`unsupported view type: ${String(view.type)}`, '/view/type');
    }
    p.length(view.private_metadata, SLACK_LIMITS.privateMetadata, '/view/private_metadata');
    p.length(view.callback_id, SLACK_LIMITS.callbackId, '/view/callback_id');
  }
  return p.errors.length > 0 ? { error: 'invalid_blocks', errors: p.errors } : undefined;
}
