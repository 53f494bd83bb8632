// Small builders for the pieces of OSCAL JSON the assessment-results document repeats: props, links
// to pack files and the back-matter subjects they resolve to. OSCAL arrays hold at least one item
// and its strings no surrounding blanks, so these leave out what would be empty.
import { GRANTFLOW_OSCAL_NS } from './oscal-ids.js';

/** One file of the pack, by its path inside the zip. */
export type PackFile = { path: string; sha256: string };

/** The back-matter resources of the pack's files, by path. */
export type PackResources = Map<string, { uuid: string }>;

type Prop = { name: string; ns: string; value: string };

const MEDIA_TYPES: Record<string, string> = {
  csv: 'text/csv',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  html: 'text/html',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

/** A back-matter resource link to a pack file, with its SHA-256. */
export function rlink(file: PackFile) {
  const mediaType = mediaTypeOf(file.path);
  return {
    href: href(file.path),
    ...(mediaType ? { 'media-type': mediaType } : {}),
    hashes: [{ algorithm: 'SHA-256', value: file.sha256 }],
  };
}

/** An observation's subjects: the back-matter resources of the files it rests on. */
export function subjects(resources: PackResources, paths: string[]) {
  return paths.flatMap((path) => {
    const resource = resources.get(path);
    return resource ? [{ 'subject-uuid': resource.uuid, type: 'resource' }] : [];
  });
}

/** A link to a pack file. */
export function fileLink(path: string, rel: string) {
  const mediaType = mediaTypeOf(path);
  return { href: href(path), rel, ...(mediaType ? { 'media-type': mediaType } : {}) };
}

function mediaTypeOf(path: string): string | undefined {
  return MEDIA_TYPES[path.slice(path.lastIndexOf('.') + 1).toLowerCase()];
}

/** A pack path as a relative URI reference, each segment escaped. */
export function href(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Files in path order, by code unit: localeCompare would depend on the machine's locale. */
export function sortedByPath(files: PackFile[]): PackFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** grantflow props, each value on one line; an absent or blank value is left out. */
export function props(values: Record<string, string | undefined>): Prop[] {
  return Object.entries(values).flatMap(([name, value]) => {
    const line = value?.replace(/\s+/g, ' ').trim();
    return line ? [prop(name, line)] : [];
  });
}

/** One grantflow prop. */
export function prop(name: string, value: string): Prop {
  return { name, ns: GRANTFLOW_OSCAL_NS, value };
}

/** `{ [key]: items }`, or nothing when empty: OSCAL arrays hold at least one item. */
export function nonEmpty<T>(key: string, items: T[]): Record<string, T[]> {
  return items.length > 0 ? { [key]: items } : {};
}

/** `1 row`, `2 rows`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
