// Small wording helpers shared by the decision reasons and the explanations, so both read alike.
import type { PlanStep } from './types.js';

function joinList(items: string[], last: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

/** "a", "a and b", "a, b and c". */
export function andList(items: string[]): string {
  return joinList(items, 'and');
}

/** "a", "a or b", "a, b or c". */
export function orList(items: string[]): string {
  return joinList(items, 'or');
}

/** "step 2" or `step 2 ("Security review")`: numbered from 1 for people, named when the policy names it. */
export function stepTitle(step: Pick<PlanStep, 'index' | 'name'>): string {
  return step.name === undefined ? `step ${step.index + 1}` : `step ${step.index + 1} ("${step.name}")`;
}
