// checkConsistencyBundle: the offline check of what `grantflow audit prove-consistency` prints.
// Bundles are built here from the same Merkle code the ledger uses, so a failure points at the
// verifier, not at the database.
import { describe, expect, it } from 'vitest';
import { leafHash } from '../../../audit/hash.js';
import { consistencyProof, merkleRoot } from '../../../audit/merkle.js';
import { checkConsistencyBundle } from '../../../audit/proof-verify.js';
import { formatCheckpoint, generateSignerKey, parseSignerKey, signNote } from '../../../audit/signed-note.js';

const ORIGIN = 'grantflow.test/audit';
const KEY = generateSignerKey(ORIGIN);
const OTHER_KEY = generateSignerKey(ORIGIN);
const LEAVES = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

function checkpointOf(leaves: readonly Buffer[], signerKey = KEY.signerKey, origin = ORIGIN): string {
  const body = formatCheckpoint({ origin, size: leaves.length, rootHash: merkleRoot(leaves) });
  return signNote(body, parseSignerKey(signerKey));
}

/** The bundle proveConsistency gives for the first `oldSize` of `leaves` against all of them. */
function bundleFor(oldSize: number, leaves: readonly Buffer[] = LEAVES) {
  return {
    oldSize,
    newSize: leaves.length,
    oldRoot: merkleRoot(leaves.slice(0, oldSize)).toString('hex'),
    newRoot: merkleRoot(leaves).toString('hex'),
    proof: consistencyProof(oldSize, leaves).map((node) => node.toString('hex')),
    oldCheckpoint: checkpointOf(leaves.slice(0, oldSize)),
    newCheckpoint: checkpointOf(leaves),
  };
}

/** `hex` with its last character changed: one flipped nibble. */
const flip = (hex: string) => `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;

describe('checkConsistencyBundle', () => {
  it('accepts the bundle between every earlier size and the newest, also after a trip through JSON text', () => {
    for (let oldSize = 0; oldSize <= LEAVES.length; oldSize++) {
      const bundle = JSON.parse(JSON.stringify(bundleFor(oldSize)));

      expect(
        checkConsistencyBundle(bundle, [KEY.verifierKey], { origin: ORIGIN }),
        `from ${oldSize}`,
      ).toEqual({ ok: true, problems: [] });
    }
  });

  it('catches a flipped byte in the proof', () => {
    const bundle = bundleFor(13);
    const proof = bundle.proof.map((node, i) => (i === 1 ? flip(node) : node));

    expect(checkConsistencyBundle({ ...bundle, proof }, [KEY.verifierKey]).problems).toEqual([
      'the proof does not show that the tree of 40 extends the tree of 13',
    ]);
    expect(
      checkConsistencyBundle({ ...bundle, proof: bundle.proof.slice(1) }, [KEY.verifierKey]).problems,
    ).toEqual(['the proof does not show that the tree of 40 extends the tree of 13']);
  });

  it("catches a root or size that is not the checkpoint's", () => {
    const bundle = bundleFor(13);

    expect(checkConsistencyBundle({ ...bundle, oldRoot: flip(bundle.oldRoot) }, [KEY.verifierKey])).toEqual({
      ok: false,
      problems: ["bundle.oldRoot differs from oldCheckpoint's root"],
    });
    expect(checkConsistencyBundle({ ...bundle, newRoot: flip(bundle.newRoot) }, [KEY.verifierKey])).toEqual({
      ok: false,
      problems: ["bundle.newRoot differs from newCheckpoint's root"],
    });
    expect(checkConsistencyBundle({ ...bundle, newSize: 41 }, [KEY.verifierKey]).problems).toEqual([
      "bundle.newSize 41 differs from newCheckpoint's size 40",
    ]);
  });

  it('catches a flipped byte in either signed note', () => {
    const bundle = bundleFor(13);
    // The root line of the note body: its signature no longer verifies.
    const alterRoot = (note: string) => {
      const [origin, size, root, ...rest] = note.split('\n');
      const bytes = Buffer.from(root ?? '', 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      return [origin, size, bytes.toString('base64'), ...rest].join('\n');
    };

    const oldAltered = checkConsistencyBundle({ ...bundle, oldCheckpoint: alterRoot(bundle.oldCheckpoint) }, [
      KEY.verifierKey,
    ]);
    const newAltered = checkConsistencyBundle({ ...bundle, newCheckpoint: alterRoot(bundle.newCheckpoint) }, [
      KEY.verifierKey,
    ]);

    expect(oldAltered.ok).toBe(false);
    expect(oldAltered.problems).toContainEqual(
      expect.stringMatching(/^oldCheckpoint: signature by .* does not verify/),
    );
    expect(newAltered.ok).toBe(false);
    expect(newAltered.problems).toContainEqual(
      expect.stringMatching(/^newCheckpoint: signature by .* does not verify/),
    );
  });

  it('refuses checkpoints signed by a key not given', () => {
    const bundle = bundleFor(13);
    const byOther = { ...bundle, newCheckpoint: checkpointOf(LEAVES, OTHER_KEY.signerKey) };

    expect(checkConsistencyBundle(bundle, [OTHER_KEY.verifierKey]).ok).toBe(false);
    expect(checkConsistencyBundle(byOther, [KEY.verifierKey]).problems).toEqual([
      expect.stringMatching(/^newCheckpoint: note is signed only by keys not given: /),
    ]);
    expect(checkConsistencyBundle(byOther, [KEY.verifierKey, OTHER_KEY.verifierKey]).ok).toBe(true);
  });

  it('catches a rewritten history even when the operator signs both checkpoints', () => {
    const rewritten = LEAVES.map((leaf, i) => (i === 5 ? leafHash(Buffer.from('edited')) : leaf));
    const honest = bundleFor(13);
    const forged = bundleFor(13, rewritten);

    const splice = { ...forged, oldRoot: honest.oldRoot, oldCheckpoint: honest.oldCheckpoint };

    expect(checkConsistencyBundle(splice, [KEY.verifierKey]).problems).toEqual([
      'the proof does not show that the tree of 40 extends the tree of 13',
    ]);
  });

  it('catches checkpoints of two logs, swapped checkpoints, and a wrong expected origin', () => {
    const bundle = bundleFor(13);
    const elsewhere = {
      ...bundle,
      newCheckpoint: checkpointOf(LEAVES, KEY.signerKey, 'other.log'),
    };
    const swapped = {
      ...bundle,
      oldSize: bundle.newSize,
      newSize: bundle.oldSize,
      oldRoot: bundle.newRoot,
      newRoot: bundle.oldRoot,
      oldCheckpoint: bundle.newCheckpoint,
      newCheckpoint: bundle.oldCheckpoint,
    };

    expect(checkConsistencyBundle(elsewhere, [KEY.verifierKey]).problems).toEqual([
      `the checkpoints are of two logs: "${ORIGIN}" and "other.log"`,
    ]);
    expect(checkConsistencyBundle(swapped, [KEY.verifierKey]).problems).toEqual([
      'the proof does not show that the tree of 13 extends the tree of 40',
    ]);
    expect(checkConsistencyBundle(bundle, [KEY.verifierKey], { origin: 'other.log' }).problems).toEqual([
      `oldCheckpoint origin "${ORIGIN}" is not the expected "other.log"`,
      `newCheckpoint origin "${ORIGIN}" is not the expected "other.log"`,
    ]);
  });

  it('reports malformed bundles without throwing', () => {
    expect(checkConsistencyBundle([], [KEY.verifierKey])).toEqual({
      ok: false,
      problems: ['bundle is not a JSON object'],
    });
    expect(checkConsistencyBundle({ oldSize: -1, newRoot: 'zz', proof: 'x' }, [KEY.verifierKey])).toEqual({
      ok: false,
      problems: [
        'bundle.oldSize is not a non-negative integer',
        'bundle.oldRoot is not 64 hex characters',
        'bundle.oldCheckpoint is not a signed note',
        'bundle.newSize is not a non-negative integer',
        'bundle.newRoot is not 64 hex characters',
        'bundle.newCheckpoint is not a signed note',
        'bundle.proof is not an array of 64-hex hashes',
      ],
    });
  });
});
