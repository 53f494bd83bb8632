import { describe, expect, it } from 'vitest';
import {
  formatCheckpoint,
  generateSignerKey,
  InvalidNoteKeyError,
  MalformedNoteError,
  noteKeyId,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  UnverifiedNoteError,
} from '../../../audit/signed-note.js';

// The reference vector of golang.org/x/mod/sumdb/note (note_test.go): same key, same bytes.
const GO_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

function unverified(fn: () => unknown): UnverifiedNoteError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UnverifiedNoteError) return err;
    throw err;
  }
  throw new Error('expected an UnverifiedNoteError');
}

const ROOT = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');

describe('signed notes', () => {
  it('signs and opens the Go reference note byte for byte', () => {
    const signer = parseSignerKey(GO_SIGNER);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe('c74f20a3');
    expect(signNote(GO_TEXT, signer)).toBe(GO_NOTE);
    const opened = openNote(GO_NOTE, [parseVerifierKey(GO_VERIFIER)]);
    expect(opened).toEqual({
      body: GO_TEXT,
      verifiedBy: [{ name: 'PeterNeumann', keyId: 'c74f20a3' }],
      unknownSignatures: [],
      invalidSignatures: [],
    });
  });

  it('generates keys in the Go string formats, whose ids match the keys', () => {
    const { signerKey, verifierKey } = generateSignerKey('grantflow.example/audit');
    expect(signerKey).toMatch(/^PRIVATE\+KEY\+grantflow\.example\/audit\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(verifierKey).toMatch(/^grantflow\.example\/audit\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const signer = parseSignerKey(signerKey);
    const verifier = parseVerifierKey(verifierKey);
    expect(signer.keyId).toBe(verifier.keyId);
    const raw = Buffer.from(verifierKey.split('+').slice(2).join('+'), 'base64');
    expect(raw[0]).toBe(0x01);
    expect(noteKeyId('grantflow.example/audit', raw.subarray(1))).toBe(verifier.keyId);
    expect(generateSignerKey('grantflow.example/audit').signerKey).not.toBe(signerKey);
  });

  it('round-trips a checkpoint through sign and open', () => {
    const { signerKey, verifierKey } = generateSignerKey('audit.local');
    const body = formatCheckpoint({ origin: 'audit.local', size: 8, rootHash: ROOT });
    expect(body).toBe('audit.local\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n');
    const note = signNote(body, parseSignerKey(signerKey));
    const opened = openNote(note, [parseVerifierKey(verifierKey)]);
    expect(opened.body).toBe(body);
    expect(parseCheckpoint(opened.body)).toEqual({
      origin: 'audit.local',
      size: 8,
      rootHash: ROOT,
      extensions: [],
    });
  });

  it('reports a tampered body as an invalid signature', () => {
    const tampered = GO_NOTE.replace('cryptography', 'cryptographY');
    const err = unverified(() => openNote(tampered, [parseVerifierKey(GO_VERIFIER)]));
    expect(err.code).toBe('note_unverified');
    expect(err.reason).toBe('invalid_signature');
    expect(err.invalidSignatures).toEqual([{ name: 'PeterNeumann', keyId: 'c74f20a3' }]);
    expect(err.message).toContain('PeterNeumann+c74f20a3');
  });

  it('reports a wrong signature under a known key id as invalid', () => {
    const line = GO_NOTE.split('\n').at(-2)!;
    const blob = Buffer.from(line.split(' ')[2]!, 'base64');
    blob[10]! ^= 0x80;
    const forged = `${GO_TEXT}\n\u2014 PeterNeumann ${blob.toString('base64')}\n`;
    expect(unverified(() => openNote(forged, [parseVerifierKey(GO_VERIFIER)])).reason).toBe(
      'invalid_signature',
    );
    const short = `${GO_TEXT}\n\u2014 PeterNeumann ${blob.subarray(0, 36).toString('base64')}\n`;
    expect(unverified(() => openNote(short, [parseVerifierKey(GO_VERIFIER)])).reason).toBe(
      'invalid_signature',
    );
  });

  it('reports a note signed by another key as unknown, not invalid', () => {
    const other = generateSignerKey('PeterNeumann');
    const err = unverified(() => openNote(GO_NOTE, [parseVerifierKey(other.verifierKey)]));
    expect(err.reason).toBe('unknown_key');
    expect(err.unknownSignatures).toEqual([{ name: 'PeterNeumann', keyId: 'c74f20a3' }]);
    expect(err.invalidSignatures).toEqual([]);
    expect(unverified(() => openNote(GO_NOTE, [])).reason).toBe('unknown_key');
  });

  it('selects the key by id during a rotation', () => {
    const oldKey = generateSignerKey('audit.local');
    const newKey = generateSignerKey('audit.local');
    const verifiers = [parseVerifierKey(oldKey.verifierKey), parseVerifierKey(newKey.verifierKey)];
    const oldSigner = parseSignerKey(oldKey.signerKey);
    const newSigner = parseSignerKey(newKey.signerKey);
    const body = formatCheckpoint({ origin: 'audit.local', size: 1, rootHash: ROOT });

    expect(openNote(signNote(body, oldSigner), verifiers).verifiedBy).toEqual([
      { name: 'audit.local', keyId: oldSigner.keyId },
    ]);
    expect(openNote(signNote(body, newSigner), verifiers).verifiedBy).toEqual([
      { name: 'audit.local', keyId: newSigner.keyId },
    ]);
    const both = signNote(body, [newSigner, oldSigner]);
    expect(openNote(both, verifiers).verifiedBy.map((ref) => ref.keyId)).toEqual([
      newSigner.keyId,
      oldSigner.keyId,
    ]);
    // After retiring the old key, its signature is unknown but the new one still carries the note.
    const afterRetirement = openNote(both, [verifiers[1]!]);
    expect(afterRetirement.verifiedBy).toEqual([{ name: 'audit.local', keyId: newSigner.keyId }]);
    expect(afterRetirement.unknownSignatures).toEqual([{ name: 'audit.local', keyId: oldSigner.keyId }]);
    expect(unverified(() => openNote(signNote(body, oldSigner), [verifiers[1]!])).reason).toBe('unknown_key');
  });

  it('lists an invalid signature that sits beside a valid one', () => {
    const good = generateSignerKey('a.example');
    const bad = generateSignerKey('b.example');
    const body = 'hello\n';
    const goodLine = signNote(body, parseSignerKey(good.signerKey)).slice(body.length + 1);
    const badLine = signNote('other\n', parseSignerKey(bad.signerKey)).slice('other\n'.length + 1);
    const opened = openNote(`${body}\n${goodLine}${badLine}`, [
      parseVerifierKey(good.verifierKey),
      parseVerifierKey(bad.verifierKey),
    ]);
    expect(opened.verifiedBy.map((ref) => ref.name)).toEqual(['a.example']);
    expect(opened.invalidSignatures.map((ref) => ref.name)).toEqual(['b.example']);
  });

  it('refuses malformed notes', () => {
    const verifiers = [parseVerifierKey(GO_VERIFIER)];
    const cases = [
      GO_TEXT,
      `${GO_TEXT}\n`,
      GO_NOTE.replace('\u2014', '-'),
      GO_NOTE.slice(0, -1),
      GO_NOTE.replace('PeterNeumann x08', 'PeterNeumann  x08'),
      GO_NOTE.replace('x08go', 'x08g!'),
      GO_NOTE.replace('problem,', 'problem,\u0007'),
      `${GO_TEXT}\n${'\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n'.repeat(101)}`,
    ];
    for (const text of cases) {
      expect(() => openNote(text, verifiers), JSON.stringify(text)).toThrow(MalformedNoteError);
    }
    expect(() => signNote('no newline', parseSignerKey(GO_SIGNER))).toThrow(MalformedNoteError);
  });
});

describe('note keys', () => {
  it('refuses keys whose id does not match, or that are not Ed25519', () => {
    expect(() => parseVerifierKey(GO_VERIFIER.replace('c74f20a3', 'c74f20a4'))).toThrow(
      /does not match the key/,
    );
    expect(() => parseVerifierKey(GO_VERIFIER.replace('PeterNeumann', 'Peter'))).toThrow(InvalidNoteKeyError);
    expect(() => parseVerifierKey(GO_VERIFIER.replace('+ARpc', '+AhRpc'))).toThrow(
      /0x01 followed by a 32-byte/,
    );
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3')).toThrow(/<name>\+<key id>\+<key>/);
    expect(() => parseSignerKey(GO_SIGNER.replace('PRIVATE+KEY+', ''))).toThrow(
      /must start with PRIVATE\+KEY\+/,
    );
    expect(() => parseSignerKey(GO_SIGNER.replace('c74f20a3', '00000000'))).toThrow(/does not match the key/);
    expect(() => generateSignerKey('has space')).toThrow(InvalidNoteKeyError);
    expect(() => generateSignerKey('a+b')).toThrow(InvalidNoteKeyError);
  });
});

describe('checkpoints', () => {
  it('formats and parses extension lines', () => {
    const body = formatCheckpoint({ origin: 'o', size: 0, rootHash: ROOT, extensions: ['ext one', 'two'] });
    expect(body).toBe(`o\n0\n${ROOT.toString('base64')}\next one\ntwo\n`);
    expect(parseCheckpoint(body).extensions).toEqual(['ext one', 'two']);
  });

  it('refuses malformed checkpoints', () => {
    const root = ROOT.toString('base64');
    const cases = [
      `o\n8\n${root}`,
      `\n8\n${root}\n`,
      `o\n08\n${root}\n`,
      `o\n-1\n${root}\n`,
      `o\n9007199254740993\n${root}\n`,
      `o\n8\n${ROOT.subarray(1).toString('base64')}\n`,
      `o\n8\n${root.slice(0, -1)}\n`,
      `o\n8\n${root}\n\n`,
      'o\n8\n',
    ];
    for (const body of cases) {
      expect(() => parseCheckpoint(body), JSON.stringify(body)).toThrow(MalformedNoteError);
    }
    expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: ROOT })).toThrow(/origin/);
    expect(() => formatCheckpoint({ origin: 'o', size: 1.5, rootHash: ROOT })).toThrow(/size/);
    expect(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: ROOT.subarray(1) })).toThrow(/32 bytes/);
  });
});
