import { describe, expect, it } from 'vitest';
import { CanonicalizationError, canonicalBytes, canonicalize } from '../../../audit/canonical.js';
import { randomJson, seededRandom } from './random.js';

function doubleFromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

function thrown(fn: () => unknown): CanonicalizationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CanonicalizationError) return err;
    throw err;
  }
  throw new Error('expected a CanonicalizationError');
}

describe('canonicalize numbers (RFC 8785 Appendix B)', () => {
  const vectors: [string, string][] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];

  it.each(vectors)('serialises the double with bits %s as %s', (bits, expected) => {
    expect(canonicalize(doubleFromBits(bits))).toBe(expected);
  });

  it('serialises the literals the brief names', () => {
    expect(canonicalize(1e21)).toBe('1e+21');
    expect(canonicalize(1e-7)).toBe('1e-7');
    expect(canonicalize(-0)).toBe('0');
    // The RFC's input text has more digits than a double holds; parse it as a JSON reader would.
    expect(canonicalize(Number('333333333.33333329'))).toBe('333333333.3333333');
    expect(canonicalize([4.5, 2e-3, 1e30, 100])).toBe('[4.5,0.002,1e+30,100]');
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['NaN bits', doubleFromBits('7fffffffffffffff')],
    ['Infinity bits', doubleFromBits('7ff0000000000000')],
  ])('rejects %s', (_label, value) => {
    expect(thrown(() => canonicalize({ n: value })).message).toMatch(/\$\.n: .* is not a finite number/);
  });
});

describe('canonicalize strings and structure', () => {
  it('reproduces the RFC 8785 §3.2.2 example byte for byte', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units as in the RFC 8785 §3.2.3 example', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // The expected text spells out the RFC's order: \r, 1, U+0080, ö, €, 😀, U+FB33.
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('orders an astral key before a high BMP key (code units, not code points)', () => {
    expect(canonicalize({ '\uffff': 1, '\u{10000}': 2 })).toBe('{"\u{10000}":2,"\uffff":1}');
  });

  it('escapes only what JSON requires, in lowercase hex', () => {
    expect(canonicalize('\u0000\u0008\u0009\u000a\u000c\u000d\u001f"\\/\u007f\u2028')).toBe(
      '"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/\u007f\u2028"',
    );
  });

  it('sorts nested objects, keeps array order, omits undefined members', () => {
    const value = { b: [3, { z: 1, a: null }, 'x'], a: { d: true, c: undefined, b: false } };
    expect(canonicalize(value)).toBe('{"a":{"b":false,"d":true},"b":[3,{"a":null,"z":1},"x"]}');
  });

  it('accepts null-prototype objects and turns a Date into its ISO string', () => {
    const bare = Object.assign(Object.create(null), { y: 2, x: 1 });
    expect(canonicalize(bare)).toBe('{"x":1,"y":2}');
    expect(canonicalize({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) })).toBe(
      '{"at":"2024-01-02T03:04:05.000Z"}',
    );
  });

  it('encodes the canonical text as UTF-8', () => {
    expect(canonicalBytes({ '€': '😀' }).toString('hex')).toBe('7b22e282ac223a22f09f9880227d');
  });

  it('refuses what has no JSON form, naming where it is', () => {
    const sparse: number[] = [];
    sparse[0] = 1;
    sparse[2] = 3;
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const cases: [unknown, string, RegExp][] = [
      [undefined, '$', /undefined is not JSON/],
      [{ a: [1, undefined] }, '$.a[1]', /undefined is not JSON/],
      [{ a: sparse }, '$.a[1]', /undefined is not JSON/],
      [{ big: 10n }, '$.big', /bigint is not JSON/],
      [{ f: () => 1 }, '$.f', /function is not JSON/],
      [{ s: Symbol('x') }, '$.s', /symbol is not JSON/],
      [circular, '$.self', /circular reference/],
      [{ text: 'a\ud800b' }, '$.text', /lone surrogate/],
      [{ '\udc00': 1 }, '$.\udc00', /lone surrogate/],
      [{ m: new Map([[1, 2]]) }, '$.m', /Map object is not JSON/],
      [{ d: { x: new (class Money {})() } }, '$.d.x', /Money object is not JSON/],
    ];
    for (const [value, path, problem] of cases) {
      const err = thrown(() => canonicalize(value));
      expect(err.code).toBe('canonicalization_failed');
      expect(err.message).toContain(`cannot canonicalize ${path}:`);
      expect(err.message).toMatch(problem);
    }
    expect(thrown(() => canonicalize({ a: { b: [0, Number.NaN] } })).path).toEqual(['a', 'b', 1]);
  });

  it('round-trips random values: parses back equal, and is a fixed point', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const value = randomJson(seededRandom(seed));
      const text = canonicalize(value);
      // JSON.stringify maps -0 to 0 as well, so it is the right reference for equality.
      expect(JSON.parse(text), `seed ${seed}`).toEqual(JSON.parse(JSON.stringify(value)));
      expect(canonicalize(JSON.parse(text)), `seed ${seed}`).toBe(text);
    }
  });
});
