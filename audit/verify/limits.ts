// The caps the verifier's stages share: the walk, the move analysis, the row findings and the
// finding list.

// Caps that keep memory and hashing bounded on a badly damaged million-row ledger.
export const MAX_SHIFT_SEARCHES = 10_000;
export const MAX_SUSPECTS = 200;
export const MAX_ISSUES = 10_000;
export const MAX_FINDINGS = 10_000;
