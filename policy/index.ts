// The policy engine's public API: pure functions over plain data, safe to call from activities, the
// API and the CLI, and whose results can travel through workflow history unchanged.
export { evaluatePolicy } from './evaluate.js';
export { describeStep, explainPlan } from './explain.js';
export { checkRequestInput, effectiveMaxDuration } from './request-checks.js';
export type * from './types.js';
