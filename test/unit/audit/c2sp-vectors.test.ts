// grantflow's signed notes, checkpoints and Merkle proofs against vectors that the Go reference
// implementations wrote (test/fixtures/c2sp/generate: golang.org/x/mod/sumdb/note,
// transparency-dev/formats, transparency-dev/merkle). Ed25519 is deterministic, so agreeing
// byte for byte on what Go signed means agreeing on every byte that is signed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COSIGNATURE_V1_TYPE,
  cosign,
  cosignaturesOn,
  cosignerKeyFromSeed,
  InvalidCosignatureError,
  parseCosignatureVerifier,
  verifyCosignature,
} from '../../../audit/cosignature.js';
import { leafHash } from '../../../audit/hash.js';
import { consistencyProof, inclusionProof, merkleRoot } from '../../../audit/merkle.js';
import { verifyConsistency, verifyInclusion, verifySignedNote } from '../../../audit/proof-verify.js';
import {
  formatCheckpoint,
  generateSignerKey,
  InvalidNoteKeyError,
  isValidKeyName,
  isValidOrigin,
  MalformedNoteError,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signedTime,
  signNote,
  splitNote,
} from '../../../audit/signed-note.js';

type Vectors = {
  keys: { name: string; skey: string; vkey: string }[];
  notes: { body: string; signedBy: string[]; text: string }[];
  names: { name: string; valid: boolean }[];
  checkpoints: { text: string; origin: string; size: number; root: string; rest?: string }[];
  merkle: {
    leaves: string[];
    roots: Record<string, string>;
    inclusion: { index?: number; size: number; proof: string[] }[];
    consistency: { size1?: number; size: number; proof: string[] }[];
  };
  cosignature: { witnessVkey: string; logVkey: string; text: string; timestampedBody: string };
};

const vectors: Vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/c2sp/vectors.json', import.meta.url), 'utf8'),
);
const keyNamed = (name: string) => {
  const key = vectors.keys.find((k) => k.name === name);
  if (!key) throw new Error(`no vector key ${name}`);
  return key;
};
const leaves = vectors.merkle.leaves.map((data) => leafHash(Buffer.from(data, 'utf8')));
const hex = (hashes: readonly Buffer[]) => hashes.map((hash) => hash.toString('hex'));

describe('C2SP signed notes, against the Go reference', () => {
  it('parses every Go key and derives the same key ids', () => {
    for (const key of vectors.keys) {
      const signer = parseSignerKey(key.skey);
      const verifier = parseVerifierKey(key.vkey);
      expect(signer.name).toBe(key.name);
      expect(verifier.keyId).toBe(signer.keyId);
    }
  });

  it('signs every Go-signed note to the same bytes, and opens it', () => {
    for (const note of vectors.notes) {
      const signers = note.signedBy.map((name) => parseSignerKey(keyNamed(name).skey));
      expect(signNote(note.body, signers)).toBe(note.text);
      const verifiers = note.signedBy.map((name) => parseVerifierKey(keyNamed(name).vkey));
      const opened = openNote(note.text, verifiers);
      expect(opened.body).toBe(note.body);
      expect(opened.verifiedBy.map((ref) => ref.name)).toEqual(note.signedBy);
      expect(
        verifySignedNote(
          note.text,
          note.signedBy.map((name) => keyNamed(name).vkey),
        ).ok,
      ).toBe(true);
    }
  });

  it('rules on key names exactly as Go does (U+0085 refused, U+FEFF accepted)', () => {
    expect(vectors.names.find((n) => n.name.includes('\u0085'))?.valid).toBe(false);
    expect(vectors.names.find((n) => n.name.includes('\ufeff'))?.valid).toBe(true);
    for (const { name, valid } of vectors.names) {
      expect({ name, valid: isValidKeyName(name) }).toEqual({ name, valid });
      if (valid) {
        expect(() => generateSignerKey(name)).not.toThrow();
      } else {
        expect(() => generateSignerKey(name)).toThrow(InvalidNoteKeyError);
      }
    }
  });

  it('accepts, in the standalone proof verifier too, only the names Go accepts', () => {
    const { vkey } = keyNamed('grantflow.local/audit');
    const rawKey = vkey.split('+')[2];
    for (const { name, valid } of vectors.names.filter((n) => n.name !== '' && !n.name.includes('+'))) {
      // A key under that name: its key id is computed the way Go computes it.
      const { verifierKey } = valid ? generateSignerKey(name) : { verifierKey: `${name}+00000000+${rawKey}` };
      const problems = verifySignedNote(vectors.notes[0]!.text, [verifierKey]).problems;
      expect({ name, keyRefused: problems.some((p) => p.startsWith('public key 1')) }).toEqual({
        name,
        keyRefused: !valid,
      });
    }
  });
});

describe('C2SP tlog-checkpoint, against transparency-dev/formats', () => {
  it('formats the checkpoint Go marshals, with no extension line', () => {
    const [current] = vectors.checkpoints;
    const body = formatCheckpoint({
      origin: current!.origin,
      size: current!.size,
      rootHash: Buffer.from(current!.root, 'base64'),
    });
    expect(body).toBe(current!.text);
  });

  it('still reads a checkpoint sealed before, with its time line, as Go does', () => {
    const legacy = vectors.checkpoints[1]!;
    const parsed = parseCheckpoint(legacy.text);
    expect({ origin: parsed.origin, size: parsed.size, root: parsed.rootHash.toString('base64') }).toEqual({
      origin: legacy.origin,
      size: legacy.size,
      root: legacy.root,
    });
    expect(parsed.extensions.map((line) => `${line}\n`).join('')).toBe(legacy.rest);
    expect(signedTime(parsed)).toBe('2026-11-30T12:00:00.000Z');
  });

  it('signs no origin with a space or a plus, and names the key after the origin', () => {
    const root = Buffer.alloc(32);
    for (const origin of ['log+1.example', 'log example', 'nel\u0085log', '']) {
      expect(isValidOrigin(origin)).toBe(false);
      expect(() => formatCheckpoint({ origin, size: 0, rootHash: root })).toThrow(MalformedNoteError);
    }
    expect(isValidOrigin('grantflow.local/audit')).toBe(true);
    expect(parseSignerKey(keyNamed('grantflow.local/audit').skey).name).toBe(vectors.checkpoints[0]!.origin);
  });
});

describe('RFC 6962 trees, against transparency-dev/merkle', () => {
  it('computes the same root for every size', () => {
    for (const [size, root] of Object.entries(vectors.merkle.roots)) {
      expect(merkleRoot(leaves.slice(0, Number(size))).toString('hex')).toBe(root);
    }
  });

  it('computes the same inclusion proofs, and accepts them', () => {
    for (const { index = 0, size, proof } of vectors.merkle.inclusion) {
      expect(hex(inclusionProof(index, leaves.slice(0, size)))).toEqual(proof);
      const rootHash = vectors.merkle.roots[String(size)]!;
      expect(
        verifyInclusion({
          leafIndex: index,
          treeSize: size,
          leafHash: leaves[index]!,
          auditPath: proof,
          rootHash,
        }),
      ).toBe(true);
    }
  });

  it('computes the same consistency proofs, and accepts them', () => {
    for (const { size1 = 0, size, proof } of vectors.merkle.consistency) {
      expect(hex(consistencyProof(size1, leaves.slice(0, size)))).toEqual(proof);
      const oldRoot = vectors.merkle.roots[String(size1)]!;
      const newRoot = vectors.merkle.roots[String(size)]!;
      expect(verifyConsistency({ oldSize: size1, newSize: size, oldRoot, newRoot, proof })).toBe(true);
    }
  });
});

describe('C2SP tlog-cosignature, as transparency-dev/formats writes it', () => {
  it("opens the log's signature on a cosigned note and sets the witness's apart, unknown", () => {
    const opened = openNote(vectors.cosignature.text, [parseVerifierKey(vectors.cosignature.logVkey)]);
    expect(opened.verifiedBy.map((ref) => ref.name)).toEqual(['grantflow.local/audit']);
    expect(opened.unknownSignatures.map((ref) => ref.name)).toEqual(['witness.example/w1']);
    // The cosignature's key id is that of the witness's cosignature/v1 key (type 0x04).
    expect(opened.unknownSignatures[0]!.keyId).toBe(vectors.cosignature.witnessVkey.split('+')[1]);
  });

  it("accepts Go's witness vkey byte for byte and its cosignature, with Go's timestamp", () => {
    const { witnessVkey, text } = vectors.cosignature;
    const witness = parseCosignatureVerifier(witnessVkey);
    expect(witness.name).toBe('witness.example/w1');
    expect(witness.verifierKey).toBe(witnessVkey);
    const { body, signatures } = splitNote(text);
    const line = signatures.find((s) => s.name === witness.name)!;
    const verified = verifyCosignature(body, line, witness);
    // The timestamp is the 8 bytes after the key id in Go's signature blob.
    const blob = Buffer.from(line.line.split(' ')[2]!, 'base64');
    expect(verified.timestamp).toBe(Number(blob.readBigUInt64BE(4)));
    expect(cosignaturesOn(text, [witness]).valid.map((c) => c.name)).toEqual([witness.name]);
    // A key of the same bytes as a note signer (type 0x01) is not the witness's key.
    const raw = Buffer.from(witnessVkey.split('+')[2]!, 'base64');
    expect(raw[0]).toBe(COSIGNATURE_V1_TYPE);
    expect(() => parseVerifierKey(witnessVkey)).toThrow(InvalidNoteKeyError);
  });

  it("refuses Go's cosignature on another body, a flipped timestamp, or dated in the future", () => {
    const { witnessVkey, text } = vectors.cosignature;
    const witness = parseCosignatureVerifier(witnessVkey);
    const { body, signatures } = splitNote(text);
    const line = signatures.find((s) => s.name === witness.name)!;
    expect(() => verifyCosignature(body.replace('17', '18'), line, witness)).toThrow(InvalidCosignatureError);
    const flipped = Buffer.from(line.signature);
    flipped[7] = (flipped[7] ?? 0) ^ 1;
    expect(() => verifyCosignature(body, { ...line, signature: flipped }, witness)).toThrow(
      InvalidCosignatureError,
    );
    const timestamp = verifyCosignature(body, line, witness).timestamp;
    const before = new Date((timestamp - 3600) * 1000);
    expect(() => verifyCosignature(body, line, witness, before)).toThrow(/in the future/);
  });

  it("signs cosignatures that the verifier which accepts Go's accepts", () => {
    const key = cosignerKeyFromSeed('witness.example/w2', Buffer.alloc(32, 7));
    const body = vectors.cosignature.timestampedBody;
    const line = cosign(body, key, 1_700_000_000);
    const witness = parseCosignatureVerifier(key.verifierKey);
    const note = `${vectors.cosignature.text}${line}`;
    expect(cosignaturesOn(note, [witness]).valid).toEqual([
      expect.objectContaining({ name: 'witness.example/w2', timestamp: 1_700_000_000 }),
    ]);
  });
});
