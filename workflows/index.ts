// The workflow bundle's entry: every workflow the worker hosts is exported from here.
// Workflows land with their issues (audit checkpoints, access requests, grant lifetimes, campaigns).
export {};
