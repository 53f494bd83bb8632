// The workflow bundle's entry: every workflow the worker hosts is exported from here.
export { auditCheckpoint } from './audit-checkpoint.js';
