// The request flow's modals: the /access request form with its entitlement search options and
// duration choices, and the reason modal for a denial or a refused fulfilment.
import { durationWords } from '../../domain/index.js';
import { ACTION, BLOCK, VIEW } from './ids.js';
import {
  accessWords,
  type Block,
  checkedMetadata,
  LIMIT,
  type ModalView,
  plain,
  type Risk,
  truncate,
} from './kit.js';

/** One entitlement in the request modal's search. */
export type EntitlementOption = {
  resourceKey: string;
  resourceName: string;
  entitlementKey: string;
  entitlementName: string;
  risk: Risk;
};

/** Options for the external_select: value `resourceKey/entitlementKey`, text "Resource / Entitlement (risk)", ≤ 100, texts ≤ 75. */
export function entitlementOptions(items: EntitlementOption[]): {
  options: { text: { type: 'plain_text'; text: string }; value: string }[];
} {
  const options = items
    .map((item) => {
      const suffix = ` (${item.risk})`;
      const name = truncate(accessWords(item), LIMIT.optionText - suffix.length);
      return {
        text: { type: 'plain_text' as const, text: `${name}${suffix}` },
        value: `${item.resourceKey}/${item.entitlementKey}`,
      };
    })
    // A value Slack cannot take would make it reject the whole list; a cut value would name
    // another entitlement. Such an entitlement cannot be requested from Slack at all.
    .filter((option) => option.value.length <= LIMIT.optionValue)
    .slice(0, LIMIT.options);
  return { options };
}

/** Duration choices the request modal offers, in seconds (1h, 4h, 8h, 1d, 3d, 7d, 30d, 90d). */
export const DURATION_CHOICES_SECONDS: readonly number[] = Object.freeze([
  3_600, 14_400, 28_800, 86_400, 259_200, 604_800, 2_592_000, 7_776_000,
]);

function reasonInput(optional: boolean, label: string, placeholder: string): Block {
  return {
    type: 'input',
    block_id: BLOCK.reason,
    optional,
    label: plain(label, 2000),
    element: {
      type: 'plain_text_input',
      action_id: ACTION.reason,
      multiline: true,
      max_length: 2000,
      placeholder: plain(placeholder, 150),
    },
  };
}

/** The /access modal: entitlement search, duration (≤ `maxSeconds`, always the shortest), optional reason. */
export function requestModal(options: { maxSeconds?: number; privateMetadata?: string }): ModalView {
  const { maxSeconds } = options;
  const allowed = DURATION_CHOICES_SECONDS.filter(
    (seconds) => maxSeconds === undefined || seconds <= maxSeconds,
  );
  // The policy decides the real bound; offering nothing would leave a form nobody can submit.
  const choices = allowed.length > 0 ? allowed : DURATION_CHOICES_SECONDS.slice(0, 1);
  const view: ModalView = {
    type: 'modal',
    callback_id: VIEW.request,
    title: plain('Request access', LIMIT.modalTitle),
    submit: plain('Request', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    blocks: [
      {
        type: 'input',
        block_id: BLOCK.entitlement,
        label: plain('Access', 2000),
        element: {
          type: 'external_select',
          action_id: ACTION.entitlement,
          min_query_length: 0,
          placeholder: plain('Search resources and roles', 150),
        },
      },
      {
        type: 'input',
        block_id: BLOCK.duration,
        label: plain('For how long', 2000),
        // No initial option: the requester chooses the duration on purpose, not by default.
        element: {
          type: 'static_select',
          action_id: ACTION.duration,
          placeholder: plain('Choose a duration', 150),
          options: choices.map((seconds) => ({
            text: plain(durationWords(seconds), LIMIT.optionText),
            value: String(seconds),
          })),
        },
      },
      reasonInput(true, 'Why do you need it?', 'The approvers read this. Some access requires it.'),
    ],
  };
  if (options.privateMetadata !== undefined) view.private_metadata = checkedMetadata(options.privateMetadata);
  return view;
}

/** Modal asking why a request is denied or cannot be fulfilled; the reason is required, metadata passed through. */
export function reasonModal(
  kind: 'deny' | 'fulfil_refused',
  privateMetadata: string,
  title?: string,
): ModalView {
  const deny = kind === 'deny';
  return {
    type: 'modal',
    callback_id: deny ? VIEW.denyReason : VIEW.fulfilRefused,
    title: plain(title ?? (deny ? 'Deny request' : "Can't fulfil"), LIMIT.modalTitle),
    submit: plain(deny ? 'Deny' : 'Send', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: checkedMetadata(privateMetadata),
    blocks: [reasonInput(false, 'Why?', 'The requester is shown this reason.')],
  };
}
