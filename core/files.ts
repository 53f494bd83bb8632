import { readFileSync } from 'node:fs';

/** The last `count` lines of a log file, for error messages when a child process dies. */
export function lastLines(file: string, count = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}
