import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalEntry,
  canonicalPopulation,
  createPopulationHasher,
  type PopulationEntry,
  PopulationOrderError,
  populationDigest,
} from '../../../campaigns/snapshot.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** `n` entries in grant id order, with varied (and some non-ASCII) values. */
function population(n: number): PopulationEntry[] {
  const entries = Array.from({ length: n }, (_, i) => ({
    grantId: randomUUID(),
    holderEmail: i % 5 === 0 ? `zoë.${i}@acme.test` : `person.${i}@acme.test`,
    resourceKey: `res-${i % 7}`,
    entitlementKey: i % 3 === 0 ? 'read' : 'write "quoted"',
    grantedAt: `2026-0${(i % 9) + 1}-1${i % 10}T0${i % 10}:15:30.${String(i).padStart(6, '0')}Z`,
  }));
  return entries.sort((a, b) => (a.grantId < b.grantId ? -1 : 1));
}

/** The documented byte format, written out by hand with node:crypto and nothing from the module. */
function recompute(entries: PopulationEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries) {
    const line =
      `{"entitlementKey":${JSON.stringify(e.entitlementKey)},"grantId":${JSON.stringify(e.grantId)},` +
      `"grantedAt":${JSON.stringify(e.grantedAt)},"holderEmail":${JSON.stringify(e.holderEmail)},` +
      `"resourceKey":${JSON.stringify(e.resourceKey)}}\n`;
    hash.update(Buffer.from(line, 'utf8'));
  }
  return hash.digest('hex');
}

function digestInPages(entries: PopulationEntry[], pages: number): string {
  const hasher = createPopulationHasher();
  const size = Math.ceil(entries.length / pages);
  for (let start = 0; start < entries.length; start += size) hasher.add(entries.slice(start, start + size));
  expect(hasher.count).toBe(entries.length);
  return hasher.digest();
}

describe('population hash', () => {
  const entries = population(100);

  it('is the same whether fed in one page or seven', () => {
    const whole = digestInPages(entries, 1);

    expect(digestInPages(entries, 7)).toBe(whole);
    expect(digestInPages(entries, 100)).toBe(whole);
  });

  it('matches an independent recomputation of the documented byte format', () => {
    expect(populationDigest(entries)).toEqual({ count: 100, sha256: recompute(entries) });
  });

  it('serialises one entry as sorted-key JCS', () => {
    const entry = entries[0] as PopulationEntry;

    expect(canonicalEntry(entry)).toBe(
      `{"entitlementKey":${JSON.stringify(entry.entitlementKey)},"grantId":"${entry.grantId}",` +
        `"grantedAt":"${entry.grantedAt}","holderEmail":${JSON.stringify(entry.holderEmail)},` +
        `"resourceKey":"${entry.resourceKey}"}`,
    );
  });

  it.each(['holderEmail', 'resourceKey', 'entitlementKey', 'grantedAt'] as const)(
    'changes when one entry’s %s changes',
    (field) => {
      const before = populationDigest(entries).sha256;
      const changed = entries.map((e, i) =>
        i === 42
          ? { ...e, [field]: field === 'grantedAt' ? '2020-01-01T00:00:00.000001Z' : `${e[field]}x` }
          : e,
      );

      expect(populationDigest(changed).sha256).not.toBe(before);
    },
  );

  it('changes when a grant id changes, or a grant is missing or added', () => {
    const before = populationDigest(entries).sha256;

    expect(
      populationDigest(entries.map((e, i) => (i === 3 ? { ...e, grantId: randomUUID() } : e))).sha256,
    ).not.toBe(before);
    expect(populationDigest(entries.slice(1)).sha256).not.toBe(before);
    expect(populationDigest([...entries, ...population(1)]).sha256).not.toBe(before);
  });

  it('hashes only the documented fields, so extra row columns do not matter', () => {
    const withExtras = entries.map((e) => ({ ...e, holderId: randomUUID(), resourceOwnerId: 'x' }));

    expect(populationDigest(withExtras).sha256).toBe(populationDigest(entries).sha256);
    expect(canonicalPopulation(withExtras)).toEqual(entries);
  });

  it('sorts a population given in any order before hashing', () => {
    expect(populationDigest([...entries].reverse())).toEqual(populationDigest(entries));
  });

  it('hashes the empty population as SHA-256 of nothing', () => {
    expect(populationDigest([])).toEqual({ count: 0, sha256: EMPTY_SHA256 });
  });

  it('refuses entries out of order, across pages too, and duplicates', () => {
    const [first, second] = entries as [PopulationEntry, PopulationEntry];
    const hasher = createPopulationHasher();
    hasher.add([second]);

    expect(() => hasher.add([first])).toThrow(PopulationOrderError);
    expect(() => createPopulationHasher().add([first, first])).toThrow(/does not come after/);
    expect(() => populationDigest([first, first])).toThrow(/does not come after/);
  });

  it('refuses a grantedAt that is not UTC with microseconds, and an upper-case grant id', () => {
    const [first] = entries as [PopulationEntry];

    expect(() => populationDigest([{ ...first, grantedAt: '2026-01-01T00:00:00.000Z' }])).toThrow(
      /not UTC with microseconds/,
    );
    expect(() => populationDigest([{ ...first, grantedAt: '2026-01-01T00:00:00.000000+01:00' }])).toThrow(
      /not UTC with microseconds/,
    );
    expect(() => populationDigest([{ ...first, grantId: first.grantId.toUpperCase() }])).toThrow(
      /not a lowercase UUID/,
    );
  });

  it('is finished after digest', () => {
    const hasher = createPopulationHasher();
    hasher.add(entries.slice(0, 2));
    hasher.digest();

    expect(() => hasher.digest()).toThrow(PopulationOrderError);
    expect(() => hasher.add(entries.slice(2, 3))).toThrow(PopulationOrderError);
    expect(hasher.lastGrantId).toBe(entries[1]?.grantId);
  });
});
