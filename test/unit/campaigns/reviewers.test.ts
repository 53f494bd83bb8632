import { describe, expect, it } from 'vitest';
import {
  type AssignmentItem,
  assignReviewer,
  type DirectoryEntry,
  type ReviewerDirectory,
} from '../../../campaigns/reviewers.js';

/** A small org: ceo ← vp ← mgr ← dev; owner reports to ceo; `gone` has left; orphan has no manager. */
function directory(overrides: Partial<Record<string, Partial<DirectoryEntry>>> = {}): ReviewerDirectory {
  const base: Record<string, Omit<DirectoryEntry, 'id'>> = {
    ceo: { managerId: null, status: 'active' },
    vp: { managerId: 'ceo', status: 'active' },
    mgr: { managerId: 'vp', status: 'active' },
    dev: { managerId: 'mgr', status: 'active' },
    owner: { managerId: 'ceo', status: 'active' },
    gone: { managerId: 'vp', status: 'inactive' },
    underGone: { managerId: 'gone', status: 'active' },
    orphan: { managerId: null, status: 'active' },
  };
  return new Map(
    Object.entries(base).map(([id, entry]) => [id, { id, ...entry, ...overrides[id] }] as const),
  );
}

const item = (holderId: string, resourceOwnerId = 'owner'): AssignmentItem => ({ holderId, resourceOwnerId });

describe('assignReviewer, manager rule', () => {
  it('gives the item to the holder’s manager', () => {
    const result = assignReviewer(item('dev'), { rule: 'manager' }, directory());

    expect(result).toEqual({ reviewerId: 'mgr', reason: 'manager', skipped: [] });
  });

  it('skips an inactive manager for the manager’s manager, and says why', () => {
    const result = assignReviewer(item('underGone'), { rule: 'manager' }, directory());

    expect(result).toEqual({
      reviewerId: 'vp',
      reason: 'inactive_reviewer:manager_of_manager',
      skipped: [{ role: 'manager', personId: 'gone', why: 'inactive_reviewer' }],
    });
  });

  it('falls to the resource owner when the holder has no manager', () => {
    const result = assignReviewer(item('orphan'), { rule: 'manager' }, directory());

    expect(result.reviewerId).toBe('owner');
    expect(result.reason).toBe('missing_reviewer:resource_owner');
    expect(result.skipped.map((s) => s.role)).toEqual(['manager', 'manager_of_manager']);
  });

  it('never lets the holder review: self at manager and manager’s manager falls to the owner', () => {
    // Bad data (a person who is their own manager) must still not produce a self-review.
    const result = assignReviewer(item('dev'), { rule: 'manager' }, directory({ dev: { managerId: 'dev' } }));

    expect(result).toEqual({
      reviewerId: 'owner',
      reason: 'self_review:resource_owner',
      skipped: [
        { role: 'manager', personId: 'dev', why: 'self_review' },
        { role: 'manager_of_manager', personId: 'dev', why: 'self_review' },
      ],
    });
  });

  it('skips the manager’s manager when that is the holder (a reporting loop)', () => {
    const loop = directory({ mgr: { managerId: 'dev', status: 'inactive' } });

    const result = assignReviewer(item('dev'), { rule: 'manager' }, loop);

    expect(result.reviewerId).toBe('owner');
    expect(result.skipped).toEqual([
      { role: 'manager', personId: 'mgr', why: 'inactive_reviewer' },
      { role: 'manager_of_manager', personId: 'dev', why: 'self_review' },
    ]);
  });

  it('treats a manager id unknown to the directory as missing', () => {
    const result = assignReviewer(
      item('dev'),
      { rule: 'manager' },
      directory({ dev: { managerId: 'nobody' } }),
    );

    expect(result.reviewerId).toBe('owner');
    expect(result.skipped[0]).toEqual({ role: 'manager', personId: 'nobody', why: 'missing_reviewer' });
  });

  it('returns no_eligible_reviewer when the whole chain is the holder or missing', () => {
    const result = assignReviewer(item('orphan', 'orphan'), { rule: 'manager' }, directory());

    expect(result).toEqual({
      reviewerId: undefined,
      reason: 'no_eligible_reviewer',
      skipped: [
        { role: 'manager', personId: undefined, why: 'missing_reviewer' },
        { role: 'manager_of_manager', personId: undefined, why: 'missing_reviewer' },
        { role: 'resource_owner', personId: 'orphan', why: 'self_review' },
      ],
    });
  });
});

describe('assignReviewer, resource_owner rule', () => {
  it('gives the item to the resource owner', () => {
    const result = assignReviewer(item('dev'), { rule: 'resource_owner' }, directory());

    expect(result).toEqual({ reviewerId: 'owner', reason: 'resource_owner', skipped: [] });
  });

  it('sends the owner’s own access to the owner’s manager', () => {
    const result = assignReviewer(item('owner'), { rule: 'resource_owner' }, directory());

    expect(result).toEqual({
      reviewerId: 'ceo',
      reason: 'self_review:resource_owner_manager',
      skipped: [{ role: 'resource_owner', personId: 'owner', why: 'self_review' }],
    });
  });

  it('skips an inactive owner and the owner’s missing manager for the holder’s manager', () => {
    const result = assignReviewer(
      item('dev', 'gone'),
      { rule: 'resource_owner' },
      directory({ gone: { managerId: null } }),
    );

    expect(result).toEqual({
      reviewerId: 'mgr',
      reason: 'inactive_reviewer:manager',
      skipped: [
        { role: 'resource_owner', personId: 'gone', why: 'inactive_reviewer' },
        { role: 'resource_owner_manager', personId: undefined, why: 'missing_reviewer' },
      ],
    });
  });

  it('skips the owner’s manager when that is the holder', () => {
    // mgr owns the resource and has left; mgr's manager vp is the holder; vp's manager ceo reviews.
    const ownerInactive = assignReviewer(
      item('vp', 'mgr'),
      { rule: 'resource_owner' },
      directory({ mgr: { status: 'inactive' } }),
    );
    expect(ownerInactive).toEqual({
      reviewerId: 'ceo',
      reason: 'inactive_reviewer:manager',
      skipped: [
        { role: 'resource_owner', personId: 'mgr', why: 'inactive_reviewer' },
        { role: 'resource_owner_manager', personId: 'vp', why: 'self_review' },
      ],
    });
  });
});

describe('assignReviewer, named person rule', () => {
  it('gives the item to the named person', () => {
    const result = assignReviewer(item('dev'), { rule: 'person', personId: 'vp' }, directory());

    expect(result).toEqual({ reviewerId: 'vp', reason: 'named_reviewer', skipped: [] });
  });

  it('sends the named person’s own access to their manager', () => {
    const result = assignReviewer(item('vp'), { rule: 'person', personId: 'vp' }, directory());

    expect(result).toEqual({
      reviewerId: 'ceo',
      reason: 'self_review:manager',
      skipped: [{ role: 'named_reviewer', personId: 'vp', why: 'self_review' }],
    });
  });

  it('skips an inactive named person, then a missing manager, for the resource owner', () => {
    const result = assignReviewer(item('orphan'), { rule: 'person', personId: 'gone' }, directory());

    expect(result).toEqual({
      reviewerId: 'owner',
      reason: 'inactive_reviewer:resource_owner',
      skipped: [
        { role: 'named_reviewer', personId: 'gone', why: 'inactive_reviewer' },
        { role: 'manager', personId: undefined, why: 'missing_reviewer' },
      ],
    });
  });

  it('returns no_eligible_reviewer when the named person is the holder and nobody else is left', () => {
    const result = assignReviewer(
      item('orphan', 'orphan'),
      { rule: 'person', personId: 'orphan' },
      directory(),
    );

    expect(result.reviewerId).toBeUndefined();
    expect(result.reason).toBe('no_eligible_reviewer');
    expect(result.skipped.map((s) => s.why)).toEqual(['self_review', 'missing_reviewer', 'self_review']);
  });
});
