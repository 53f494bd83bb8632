// The witnesses a log asks to cosign: where each one listens and its verifier key.
import { type CosignatureVerifier, parseCosignatureVerifier } from '../cosignature.js';

/** One witness the sealing side asks: its submission prefix and its key. */
export type WitnessEndpoint = { url: string; verifier: CosignatureVerifier };

/**
 * Parses `<url>=<vkey>[,<url>=<vkey>…]` (GRANTFLOW_AUDIT_WITNESSES). The URL is the witness's
 * submission prefix (add-checkpoint is appended); it ends at the first '=' (a vkey's base64 of
 * 33 bytes has no padding). Throws with the offending entry named.
 */
export function parseWitnessList(text: string): WitnessEndpoint[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const endpoints = entries.map((entry) => {
    const split = entry.indexOf('=');
    const url = split < 0 ? '' : entry.slice(0, split);
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new Error(`"${entry}" must be <http(s) url>=<witness verifier key>`);
    }
    try {
      return { url: url.replace(/\/+$/, ''), verifier: parseCosignatureVerifier(entry.slice(split + 1)) };
    } catch (error) {
      throw new Error(`"${entry}": ${(error as Error).message}`);
    }
  });
  const names = endpoints.map((endpoint) => endpoint.verifier.verifierKey);
  if (new Set(names).size !== names.length) throw new Error('the same witness key is listed twice');
  return endpoints;
}
