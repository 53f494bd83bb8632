// Who reviews each campaign item. Pure, so the rules are tested without a database and the
// snapshot activity can assign 5,000 items per page from one directory read.
//
// Nobody reviews their own access: every rule is a chain of candidates, and a candidate who is the
// holder, inactive or missing is skipped (the reason is recorded) in favour of the next one.
//
//   manager         holder's manager → manager's manager → resource owner
//   resource_owner  resource owner → owner's manager → holder's manager
//   person          the named person → holder's manager → resource owner

/** What assignment needs to know about a person. */
export type DirectoryEntry = { id: string; managerId: string | null; status: 'active' | 'inactive' };
/** The directory as assignment sees it: people by id. */
export type ReviewerDirectory = ReadonlyMap<string, DirectoryEntry>;

/** The campaign's reviewer rule; `person` names the reviewer by id. */
export type ReviewerRule =
  | { rule: 'manager' }
  | { rule: 'resource_owner' }
  | { rule: 'person'; personId: string };

/** The facts of one item that assignment depends on. */
export type AssignmentItem = { holderId: string; resourceOwnerId: string };

/** Where in the chain a candidate sits; becomes part of the recorded reason. */
export type CandidateRole =
  | 'manager'
  | 'manager_of_manager'
  | 'resource_owner'
  | 'resource_owner_manager'
  | 'named_reviewer';

/** Why a candidate was passed over. */
export type SkipReason = 'self_review' | 'inactive_reviewer' | 'missing_reviewer';

/** One candidate passed over, for the audit record of the assignment. */
export type SkippedCandidate = { role: CandidateRole; personId: string | undefined; why: SkipReason };

/**
 * The reviewer of an item and why: `reason` is the role that got it (`manager`) or, when earlier
 * candidates were passed over, the first skip and the role that got it
 * (`self_review:manager_of_manager`, `inactive_reviewer:resource_owner`).
 */
export type ReviewerAssignment =
  | { reviewerId: string; reason: string; skipped: SkippedCandidate[] }
  | { reviewerId: undefined; reason: 'no_eligible_reviewer'; skipped: SkippedCandidate[] };

type Candidate = { role: CandidateRole; personId: string | undefined };

const managerOf = (directory: ReviewerDirectory, id: string | undefined) =>
  id === undefined ? undefined : (directory.get(id)?.managerId ?? undefined);

function chainOf(item: AssignmentItem, rule: ReviewerRule, directory: ReviewerDirectory): Candidate[] {
  const manager = managerOf(directory, item.holderId);
  switch (rule.rule) {
    case 'manager':
      return [
        { role: 'manager', personId: manager },
        { role: 'manager_of_manager', personId: managerOf(directory, manager) },
        { role: 'resource_owner', personId: item.resourceOwnerId },
      ];
    case 'resource_owner':
      return [
        { role: 'resource_owner', personId: item.resourceOwnerId },
        { role: 'resource_owner_manager', personId: managerOf(directory, item.resourceOwnerId) },
        { role: 'manager', personId: manager },
      ];
    case 'person':
      return [
        { role: 'named_reviewer', personId: rule.personId },
        { role: 'manager', personId: manager },
        { role: 'resource_owner', personId: item.resourceOwnerId },
      ];
  }
}

function skipReason(personId: string | undefined, holderId: string, directory: ReviewerDirectory) {
  if (personId === undefined) return 'missing_reviewer';
  if (personId === holderId) return 'self_review';
  const person = directory.get(personId);
  if (!person) return 'missing_reviewer';
  if (person.status !== 'active') return 'inactive_reviewer';
  return undefined;
}

/**
 * Picks the first eligible candidate of the rule's chain. `no_eligible_reviewer` means the whole
 * chain was the holder, inactive or missing: the caller then sends the item to the campaign's
 * launcher (recording this reason), so no item is ever left without someone accountable.
 */
export function assignReviewer(
  item: AssignmentItem,
  rule: ReviewerRule,
  directory: ReviewerDirectory,
): ReviewerAssignment {
  const skipped: SkippedCandidate[] = [];
  for (const candidate of chainOf(item, rule, directory)) {
    const why = skipReason(candidate.personId, item.holderId, directory);
    if (why === undefined && candidate.personId !== undefined) {
      const first = skipped[0];
      const reason = first ? `${first.why}:${candidate.role}` : candidate.role;
      return { reviewerId: candidate.personId, reason, skipped };
    }
    skipped.push({ role: candidate.role, personId: candidate.personId, why: why ?? 'missing_reviewer' });
  }
  return { reviewerId: undefined, reason: 'no_eligible_reviewer', skipped };
}
