// Identifiers in the OSCAL document: UUIDs derived from names, so that the same pack gives the same
// document, and framework control ids written as OSCAL tokens.
import { v5 } from 'uuid';
import type { PackModel } from './model.js';

/** The namespace every grantflow OSCAL UUID (v5) is derived in. Never change it: ids would drift. */
export const OSCAL_UUID_NAMESPACE = 'a0fda91b-3b61-498d-8688-6de0c79d4670';

/** Namespace of grantflow's own OSCAL props. */
export const GRANTFLOW_OSCAL_NS = 'https://grantflow.dev/ns/oscal';

/** Derives one UUID of a pack's document from its kind and the parts that name it. */
export type PackUuids = (kind: string, ...parts: string[]) => string;

/**
 * The UUIDs of one pack's document, from `<kind>:<framework>:<period>:<parts...>`. Only the last
 * part is free text (a path, a population row key), so two names never collide.
 *
 * OSCAL asks for per-subject UUIDs, stable across revisions: a finding on CC6.1 for soc2 2026-Q4
 * keeps its UUID when the pack is built again. Only the document's own UUID includes the request,
 * as each build is a new revision.
 */
export function packUuids(model: PackModel): PackUuids {
  return (kind, ...parts) =>
    v5([kind, model.framework, model.period.label, ...parts].join(':'), OSCAL_UUID_NAMESPACE);
}

/**
 * A framework control id as an OSCAL control-id token, the way OSCAL catalogs write them:
 * lower case (`CC6.1` → `cc6.1`, `A.5.15` → `a.5.15`); any run of characters a token cannot hold
 * becomes `-` (`CC6.1 (a)` → `cc6.1-a`); an id that does not start with a letter gets a leading `_`
 * (ISO clause `9.2` → `_9.2`), since a token must.
 */
export function oscalControlId(id: string): string {
  const token = id
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  if (token === '') throw new RangeError(`control id ${JSON.stringify(id)} has no letter or digit`);
  return /^[\p{L}_]/u.test(token) ? token : `_${token}`;
}
