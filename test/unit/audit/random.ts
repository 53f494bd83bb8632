// Seeded random data for the audit property tests: a failure names its seed, so it replays.

/** A deterministic pseudo-random source (mulberry32). */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/** Creates a Random from a 32-bit seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

// Characters chosen to hit every escaping and sorting rule: controls, quotes, DEL, Latin-1,
// line separators, BMP above surrogates, and astral pairs.
const CHARACTERS = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  '\\',
  '/',
  '\b',
  '\f',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0080',
  'ö',
  '€',
  '\u2028',
  '\u2029',
  '\ufb33',
  '\uffff',
  '😀',
  '𝄞',
];

const NUMBERS = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 1e-6, 123456789012345680000, 5e-324, 2 ** 53, -1.5e300];

/** A random string over awkward characters. */
export function randomString(random: Random, maxLength = 8): string {
  let text = '';
  for (let i = random.int(maxLength + 1); i > 0; i--) text += random.pick(CHARACTERS);
  return text;
}

/** A random JSON value (plain objects, arrays, strings, finite numbers, booleans, null). */
export function randomJson(random: Random, depth = 3): unknown {
  const kind = random.int(depth > 0 ? 7 : 5);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random.next() < 0.5;
    case 2:
      return random.next() < 0.5 ? random.pick(NUMBERS) : (random.next() - 0.5) * 10 ** random.int(40);
    case 3:
      return random.int(1_000_000) - 500_000;
    case 4:
      return randomString(random);
    case 5:
      return Array.from({ length: random.int(5) }, () => randomJson(random, depth - 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = random.int(6); i > 0; i--) object[randomString(random, 4)] = randomJson(random, depth - 1);
      return object;
    }
  }
}
