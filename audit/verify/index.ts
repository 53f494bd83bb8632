// The audit-ledger verifier's public API, as the CLI, the API and the tests use it; how it works
// is described at the top of verify-ledger.ts.
export { type Finding, findingCodes } from './findings.js';
export { protectionFindings } from './protections.js';
export { exitCodeFor, formatVerifyReport } from './report.js';
export type { VerifyOptions, VerifyReport } from './types.js';
export { verifyLedger } from './verify-ledger.js';
