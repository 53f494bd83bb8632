import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalize } from '../../../audit/canonical.js';
import { type AuditEvent, parseAuditEvent } from '../../../audit/events.js';
import { leafHash } from '../../../audit/hash.js';
import { inclusionProof, merkleRoot } from '../../../audit/merkle.js';
import {
  checkProofBundle,
  canonicalize as standaloneCanonicalize,
  verifySignedNote,
} from '../../../audit/proof-verify.js';
import {
  formatCheckpoint,
  generateSignerKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../../../audit/signed-note.js';
import { randomJson, randomString, seededRandom } from './random.js';

const ORIGIN = 'grantflow.test/audit';
const KEY = generateSignerKey(ORIGIN);
const OTHER_KEY = generateSignerKey(ORIGIN);

function eventNumber(i: number): AuditEvent {
  return parseAuditEvent({
    event_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    occurred_at: `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
    event_type: 'access.grant.provisioned',
    actor: { type: 'service', id: 'worker' },
    source: { service: 'grantflow-worker' },
    target: { type: 'grant', id: `grant-${i}`, name: 'Zürich € team' },
    action: 'provision',
    result: 'success',
    details: { attempt: i % 3, ratio: i / 7 },
  });
}

const EVENTS = Array.from({ length: 37 }, (_, i) => eventNumber(i));
const LEAVES = EVENTS.map((event) => leafHash(canonicalBytes(event)));

function checkpointFor(size: number, signerKey = KEY.signerKey, origin = ORIGIN): string {
  const body = formatCheckpoint({ origin, size, rootHash: merkleRoot(LEAVES.slice(0, size)) });
  return signNote(body, parseSignerKey(signerKey));
}

const CHECKPOINT = checkpointFor(EVENTS.length);

function bundleFor(index: number) {
  return {
    event: EVENTS[index],
    leafIndex: index,
    treeSize: EVENTS.length,
    auditPath: inclusionProof(index, LEAVES).map((hash) => hash.toString('hex')),
    checkpoint: CHECKPOINT,
    leafHash: LEAVES[index]!.toString('hex'),
  };
}

describe('checkProofBundle', () => {
  it('accepts the bundle of every event, also after a trip through JSON text', () => {
    for (let index = 0; index < EVENTS.length; index++) {
      const bundle = JSON.parse(JSON.stringify(bundleFor(index)));
      expect(checkProofBundle(bundle, [KEY.verifierKey], { origin: ORIGIN }), `event ${index}`).toEqual({
        ok: true,
        problems: [],
      });
    }
  });

  it('accepts a bundle without the optional leafHash', () => {
    const { leafHash: _omitted, ...bundle } = bundleFor(3);
    expect(checkProofBundle(bundle, [KEY.verifierKey]).ok).toBe(true);
  });

  it('catches an altered event', () => {
    const bundle = bundleFor(5);
    const altered = { ...bundle, event: { ...bundle.event, result: 'failure' } };
    expect(checkProofBundle(altered, [KEY.verifierKey]).problems).toEqual([
      'bundle.event does not hash to bundle.leafHash: the event was altered',
      "the audit path does not lead from the event's leaf hash to the checkpoint root",
    ]);
    const { leafHash: _omitted, ...withoutLeafHash } = altered;
    expect(checkProofBundle(withoutLeafHash, [KEY.verifierKey]).problems).toEqual([
      "the audit path does not lead from the event's leaf hash to the checkpoint root",
    ]);
  });

  it('catches a wrong index, a wrong size, and a truncated or altered path', () => {
    const bundle = bundleFor(6);
    expect(checkProofBundle({ ...bundle, leafIndex: 7 }, [KEY.verifierKey]).problems).toEqual([
      "the audit path does not lead from the event's leaf hash to the checkpoint root",
    ]);
    expect(checkProofBundle({ ...bundle, treeSize: 36 }, [KEY.verifierKey]).problems).toEqual([
      "bundle.treeSize 36 differs from the checkpoint's size 37",
    ]);
    expect(
      checkProofBundle({ ...bundle, auditPath: bundle.auditPath.slice(1) }, [KEY.verifierKey]).problems,
    ).toEqual(['bundle.auditPath has 5 hashes; leaf 6 of 37 needs 6']);
    const altered = [...bundle.auditPath];
    altered[2] = `${altered[2]!.slice(0, -1)}${altered[2]!.endsWith('0') ? '1' : '0'}`;
    expect(checkProofBundle({ ...bundle, auditPath: altered }, [KEY.verifierKey]).problems).toEqual([
      "the audit path does not lead from the event's leaf hash to the checkpoint root",
    ]);
    expect(checkProofBundle({ ...bundle, auditPath: ['zz'] }, [KEY.verifierKey]).problems).toEqual([
      'bundle.auditPath is not an array of 64-hex hashes',
    ]);
    expect(checkProofBundle({ ...bundle, leafIndex: 40 }, [KEY.verifierKey]).problems).toEqual([
      'bundle.leafIndex 40 is not inside a tree of size 37',
    ]);
  });

  it('catches a checkpoint for a different tree, even when properly signed', () => {
    const bundle = { ...bundleFor(2), checkpoint: checkpointFor(20), treeSize: 20 };
    expect(checkProofBundle(bundle, [KEY.verifierKey]).problems).toEqual([
      'bundle.auditPath has 6 hashes; leaf 2 of 20 needs 5',
    ]);
    const sameShape = { ...bundleFor(2), checkpoint: checkpointFor(36), treeSize: 36 };
    expect(checkProofBundle(sameShape, [KEY.verifierKey]).problems).toEqual([
      "the audit path does not lead from the event's leaf hash to the checkpoint root",
    ]);
  });

  it('catches a forged, altered or unknown-key checkpoint, and a wrong origin', () => {
    const bundle = bundleFor(1);
    const keyRef = `${ORIGIN}+${parseVerifierKey(KEY.verifierKey).keyId}`;
    const otherRef = `${ORIGIN}+${parseVerifierKey(OTHER_KEY.verifierKey).keyId}`;
    expect(
      checkProofBundle({ ...bundle, checkpoint: checkpointFor(37, OTHER_KEY.signerKey) }, [KEY.verifierKey]),
    ).toEqual({ ok: false, problems: [`checkpoint: note is signed only by keys not given: ${otherRef}`] });

    const realRoot = merkleRoot(LEAVES).toString('base64');
    const fakeRoot = merkleRoot(LEAVES.slice(1)).toString('base64');
    const altered = CHECKPOINT.replace(realRoot, fakeRoot);
    expect(altered).not.toBe(CHECKPOINT);
    expect(checkProofBundle({ ...bundle, checkpoint: altered }, [KEY.verifierKey]).problems).toEqual([
      `checkpoint: signature by ${keyRef} does not verify: the note was altered or forged`,
      "the audit path does not lead from the event's leaf hash to the checkpoint root",
    ]);

    const elsewhere = checkpointFor(37, KEY.signerKey, 'other.log');
    expect(
      checkProofBundle({ ...bundle, checkpoint: elsewhere }, [KEY.verifierKey], { origin: ORIGIN }).problems,
    ).toEqual([`checkpoint origin "other.log" is not the expected "${ORIGIN}"`]);
    expect(checkProofBundle({ ...bundle, checkpoint: 'nonsense' }, [KEY.verifierKey]).problems).toEqual([
      'checkpoint: note is not text ending in a newline without control characters',
    ]);
  });

  it('reports malformed bundles without throwing', () => {
    expect(checkProofBundle(null, [KEY.verifierKey])).toEqual({
      ok: false,
      problems: ['bundle is not a JSON object'],
    });
    const result = checkProofBundle({ event: { n: 1n } }, [KEY.verifierKey]);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'bundle.event cannot be canonicalized: cannot canonicalize $.n: a bigint is not JSON',
      'bundle.leafIndex is not a non-negative integer',
      'bundle.treeSize is not a non-negative integer',
      'bundle.auditPath is not an array of 64-hex hashes',
      'bundle.checkpoint is not a signed note',
    ]);
  });

  it('verifies with either key during a rotation', () => {
    const bundle = { ...bundleFor(9), checkpoint: checkpointFor(37, OTHER_KEY.signerKey) };
    expect(checkProofBundle(bundle, [KEY.verifierKey, OTHER_KEY.verifierKey]).ok).toBe(true);
  });
});

describe('verifySignedNote', () => {
  it('agrees with openNote', () => {
    const verifier = parseVerifierKey(KEY.verifierKey);
    const result = verifySignedNote(CHECKPOINT, [KEY.verifierKey]);
    expect(result).toEqual({ ok: true, ...openNote(CHECKPOINT, [verifier]), problems: [] });
  });

  it('reports a bad public key string', () => {
    const result = verifySignedNote(CHECKPOINT, [KEY.verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')]);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'public key 1: key id 00000000 does not match the key',
      `note is signed only by keys not given: ${ORIGIN}+${parseVerifierKey(KEY.verifierKey).keyId}`,
    ]);
  });

  it('is not ok when a given key signed something else, even beside a valid signature', () => {
    const body = 'x\n';
    const good = signNote(body, parseSignerKey(KEY.signerKey));
    const badLine = signNote('y\n', parseSignerKey(OTHER_KEY.signerKey)).slice(3);
    const result = verifySignedNote(`${good}${badLine}`, [KEY.verifierKey, OTHER_KEY.verifierKey]);
    expect(result.ok).toBe(false);
    expect(result.verifiedBy).toHaveLength(1);
    expect(result.invalidSignatures).toHaveLength(1);
  });
});

describe('proof-verify stands alone', () => {
  it('imports nothing but node:crypto', () => {
    const source = readFileSync(new URL('../../../audit/proof-verify.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
    expect(imports).toEqual(['node:crypto']);
    expect(source).not.toMatch(/\brequire\(|import\(/);
  });

  it('canonicalizes exactly like audit/canonical.ts', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const value = randomJson(seededRandom(seed), 4);
      expect(standaloneCanonicalize(value), `seed ${seed}`).toBe(canonicalize(value));
    }
    const random = seededRandom(99);
    for (let i = 0; i < 200; i++) {
      const value = { [randomString(random)]: randomString(random, 20), n: (random.next() - 0.5) * 1e300 };
      expect(standaloneCanonicalize(value)).toBe(canonicalize(value));
    }
    for (const event of EVENTS) expect(standaloneCanonicalize(event)).toBe(canonicalize(event));
    expect(standaloneCanonicalize({ d: new Date(0), u: undefined })).toBe(
      canonicalize({ d: new Date(0), u: undefined }),
    );
  });

  it('refuses the same inputs as audit/canonical.ts', () => {
    const circular: Record<string, unknown> = {};
    circular.me = circular;
    const sparse: number[] = [];
    sparse[2] = 2;
    const refused = [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1n,
      () => 1,
      Symbol('s'),
      undefined,
      [undefined],
      circular,
    ];
    for (const value of [...refused, 'a\ud800', { '\udfff': 1 }, new Map(), sparse]) {
      expect(() => canonicalize(value)).toThrow();
      expect(() => standaloneCanonicalize(value)).toThrow();
    }
  });
});
