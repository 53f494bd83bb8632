import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '../core/processes.js';

/** Where a running `grantflow dev` says how to reach its services, so other commands can join it. */
export type StackState = {
  pid: number;
  ownerUrl: string;
  runtimeUrl: string;
  temporalAddress: string;
  apiUrl: string;
  temporalUiUrl?: string;
};

const stateFile = (dataDir: string) => path.join(dataDir, 'run', 'stack.json');

/** Records the running stack (mode 0600: the URLs carry the database passwords). */
export function writeStackState(dataDir: string, state: StackState): void {
  mkdirSync(path.dirname(stateFile(dataDir)), { recursive: true });
  writeFileSync(stateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** The running stack of this data directory, or undefined if none is up. */
export function readStackState(dataDir: string): StackState | undefined {
  const file = stateFile(dataDir);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as StackState;
  return isAlive(state.pid) ? state : undefined;
}

/** Forgets the stack record (on clean shutdown). */
export function clearStackState(dataDir: string): void {
  rmSync(stateFile(dataDir), { force: true });
}
