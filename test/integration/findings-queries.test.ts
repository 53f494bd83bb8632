// A target that drifted a long way: tens of thousands of differences in one run must be recorded
// and resolved like a handful (one statement's parameters are capped at 65,535 in PostgreSQL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FindingSighting, recordSightings, resolveUnseen } from '../../db/queries/findings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const MANY = 7_000;

describe('findings queries at scale', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it(`records ${MANY.toLocaleString('en-US')} sightings, sees them again, and resolves the ones not seen`, async () => {
    const { db } = database.runtime;
    const sightings: FindingSighting[] = Array.from({ length: MANY }, (_, i) => ({
      kind: 'unknown_account',
      fingerprint: `unknown_account:bench:${i}`,
      resourceId: null,
      entitlementId: null,
      personId: null,
      grantId: null,
      account: `ghost${i}@target`,
      detail: { i },
    }));
    const first = await recordSightings(db, randomUUID(), sightings);
    expect(first).toHaveLength(MANY);
    expect(first.every((f) => f.opened)).toBe(true);

    const again = await recordSightings(db, randomUUID(), sightings);
    expect(again).toHaveLength(MANY);
    expect(again.some((f) => f.opened)).toBe(false);
    expect(new Set(again.map((f) => f.id))).toEqual(new Set(first.map((f) => f.id)));

    const seen = sightings.slice(100).map((s) => s.fingerprint);
    const gone = await resolveUnseen(db, {
      resourceId: null,
      runId: randomUUID(),
      kinds: ['unknown_account'],
      seenFingerprints: seen,
    });
    expect(gone.map((f) => f.fingerprint).sort()).toEqual(
      sightings
        .slice(0, 100)
        .map((s) => s.fingerprint)
        .sort(),
    );
    expect(gone.every((f) => f.status === 'resolved' && f.resolution === 'gone')).toBe(true);
  });
});
