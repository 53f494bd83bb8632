// The witness's add-checkpoint over real HTTP, each tlog-witness rule in turn: the status, the
// 409 body and content type, what was persisted (and only when it cosigned), what was refused.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cosignaturesOn, parseCosignatureVerifier } from '../../../../audit/cosignature.js';
import { leafHash } from '../../../../audit/hash.js';
import { consistencyProof, merkleRoot } from '../../../../audit/merkle.js';
import {
  formatCheckpoint,
  generateSignerKey,
  parseSignerKey,
  signNote,
} from '../../../../audit/signed-note.js';
import { type RunningWitness, serveWitness } from '../../../../audit/witness/server.js';
import { initWitnessState, loadWitnessState, readRefusals } from '../../../../audit/witness/state.js';

const ORIGIN = 'log.test/audit';
const log = pino({ level: 'silent' });
const logKey = generateSignerKey(ORIGIN);
const signer = parseSignerKey(logKey.signerKey);
const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const forkLeaves = leaves.map((leaf, i) => (i >= 10 ? leafHash(Buffer.from(`forged ${i}`)) : leaf));

function checkpoint(size: number, tree = leaves, key = signer, origin = ORIGIN): string {
  return signNote(formatCheckpoint({ origin, size, rootHash: merkleRoot(tree.slice(0, size)) }), key);
}

function request(
  old: number,
  size: number,
  options: { tree?: typeof leaves; proof?: string[]; note?: string } = {},
) {
  const tree = options.tree ?? leaves;
  const proof =
    options.proof ??
    (old === 0 ? [] : consistencyProof(old, tree.slice(0, size)).map((h) => h.toString('base64')));
  return `old ${old}\n${proof.map((line) => `${line}\n`).join('')}\n${options.note ?? checkpoint(size, tree)}`;
}

let dir: string;
let witness: RunningWitness;
let witnessVkey: string;
const post = async (body: string) => {
  const response = await fetch(`http://127.0.0.1:${witness.port}/add-checkpoint`, { method: 'POST', body });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

beforeEach(async () => {
  dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'witness-')), 'state');
  witnessVkey = initWitnessState(dir, { name: 'witness.test/w1', logKeys: [logKey.verifierKey] }).verifierKey;
  witness = await serveWitness(dir, { host: '127.0.0.1', port: 0 }, log);
});
afterEach(async () => {
  await witness.close();
});

describe('witness add-checkpoint', () => {
  it('cosigns a first checkpoint from 0, then a consistent larger one, and persists each head', async () => {
    const first = await post(request(0, 10));
    expect(first.status).toBe(200);
    const cosigned = cosignaturesOn(`${checkpoint(10)}${first.text}`, [
      parseCosignatureVerifier(witnessVkey),
    ]);
    expect(cosigned.valid).toHaveLength(1);
    expect(loadWitnessState(dir).heads[ORIGIN]?.size).toBe(10);

    const second = await post(request(10, 25));
    expect(second.status).toBe(200);
    expect(second.text).toMatch(/^\u2014 witness\.test\/w1 \S+\n$/);
    expect(loadWitnessState(dir).heads[ORIGIN]).toMatchObject({
      size: 25,
      rootHash: merkleRoot(leaves.slice(0, 25)).toString('base64'),
    });
  });

  it('answers 409 text/x.tlog.size with its size when the old size is not its latest', async () => {
    await post(request(0, 10));
    const stale = await post(request(0, 12));
    expect(stale).toEqual({ status: 409, type: 'text/x.tlog.size', text: '10\n' });
    const ahead = await post(request(12, 20));
    expect(ahead).toEqual({ status: 409, type: 'text/x.tlog.size', text: '10\n' });
    expect(loadWitnessState(dir).heads[ORIGIN]?.size).toBe(10);
  });

  it('refuses a rollback (a smaller tree) with 409 and its larger size, and records the request', async () => {
    await post(request(0, 20));
    const rollback = request(0, 15);
    expect(await post(rollback)).toMatchObject({ status: 409, text: '20\n' });
    const refusals = readRefusals(dir);
    expect(refusals.at(-1)).toMatchObject({ status: 409, origin: ORIGIN, request: rollback });
  });

  it('refuses a fork of the same size with 409, and a larger fork with 422', async () => {
    await post(request(0, 20));
    const sameSize = await post(request(20, 20, { tree: forkLeaves, proof: [] }));
    expect(sameSize.status).toBe(409);
    expect(sameSize.type).not.toBe('text/x.tlog.size');
    expect(sameSize.text).toMatch(/fork/);
    const larger = await post(request(20, 30, { tree: forkLeaves }));
    expect(larger.status).toBe(422);
    expect(loadWitnessState(dir).heads[ORIGIN]?.rootHash).toBe(
      merkleRoot(leaves.slice(0, 20)).toString('base64'),
    );
    expect(readRefusals(dir).map((r) => r.status)).toEqual([409, 422]);
  });

  it('answers 404 for an unknown origin and 403 when no trusted key signed', async () => {
    const other = parseSignerKey(generateSignerKey('other.test/log').signerKey);
    expect((await post(request(0, 5, { note: checkpoint(5, leaves, other, 'other.test/log') }))).status).toBe(
      404,
    );
    const impostor = parseSignerKey(generateSignerKey(ORIGIN).signerKey);
    expect((await post(request(0, 5, { note: checkpoint(5, leaves, impostor) }))).status).toBe(403);
    expect(loadWitnessState(dir).heads).toEqual({});
  });

  it('answers 400 to malformed requests, old > size, and more than 63 proof lines', async () => {
    const hash = Buffer.alloc(32).toString('base64');
    const cases = [
      'old 0\n',
      `old 01\n\n${checkpoint(5)}`,
      `old 0\nnot base64\n\n${checkpoint(5)}`,
      `old 6\n${hash}\n\n${checkpoint(5)}`,
      `old 0\n${hash}\n\n${checkpoint(5)}`,
      `old 0\n\n${formatCheckpoint({ origin: ORIGIN, size: 5, rootHash: merkleRoot(leaves.slice(0, 5)) })}`,
    ];
    for (const body of cases)
      expect({ body, status: (await post(body)).status }).toEqual({ body, status: 400 });
    await post(request(0, 1));
    const tooLong = request(1, 5, { proof: Array.from({ length: 64 }, () => hash) });
    expect(await post(tooLong)).toMatchObject({ status: 400, text: expect.stringMatching(/at most 63/) });
    const longest = request(1, 5, { proof: Array.from({ length: 63 }, () => hash) });
    expect((await post(longest)).status).toBe(422);
  });

  it('checks and persists atomically: of two concurrent requests from the same size, one wins', async () => {
    await post(request(0, 10));
    const [a, b] = await Promise.all([post(request(10, 20)), post(request(10, 30))]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 20 : 30;
    expect(loadWitnessState(dir).heads[ORIGIN]?.size).toBe(winner);
    expect((a.status === 409 ? a : b).text).toBe(`${winner}\n`);
  });

  it('keeps its state across restarts, and refuses a second server on the same directory', async () => {
    await post(request(0, 10));
    await expect(serveWitness(dir, { host: '127.0.0.1', port: 0 }, log)).rejects.toThrow(/in use/);
    await witness.close();
    witness = await serveWitness(dir, { host: '127.0.0.1', port: 0 }, log);
    expect((await post(request(0, 12))).text).toBe('10\n');
    expect(readFileSync(path.join(dir, 'heads.json'), 'utf8')).toContain('"size": 10');
  });
});
