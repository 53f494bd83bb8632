// The words every layer shares: risk levels, connector kinds, statuses, durations, campaign counts,
// reconciliation findings, what a move does to access, step-up, and the shape of a campaign's population entry.
// Each is an `as const` array with its type, so the database enums, the zod schemas and the
// workflows are built from one list. Nothing here imports anything: workflows may use it (the
// purity test allows `domain/`), and so may the database layer.
export * from './campaign-counts.js';
export * from './connector-kinds.js';
export * from './durations.js';
export * from './evidence.js';
export * from './findings.js';
export * from './lifecycle.js';
export * from './population.js';
export * from './risk.js';
export * from './statuses.js';
export * from './step-up.js';
