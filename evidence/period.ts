import { ValidationError } from '../core/errors.js';
import { PERIOD_PATTERN } from '../domain/evidence.js';
import type { PackPeriod } from './model.js';

/** `2026-Q4` or `2026-11` as its UTC bounds (start inclusive, end exclusive); a clear error otherwise. */
export function parsePeriod(label: string): PackPeriod {
  const match = PERIOD_PATTERN.exec(label.trim());
  if (!match) {
    throw new ValidationError(
      `Unknown period format ${JSON.stringify(label)}: write a quarter as 2026-Q4 or a month as 2026-11.`,
      { fields: [{ field: 'period', message: 'must look like 2026-Q4 or 2026-11' }] },
    );
  }
  const year = Number(match[1]);
  const firstMonth = match[2] ? (Number(match[2]) - 1) * 3 : Number(match[3]) - 1;
  const months = match[2] ? 3 : 1;
  return {
    label: label.trim(),
    start: new Date(Date.UTC(year, firstMonth, 1)).toISOString(),
    end: new Date(Date.UTC(year, firstMonth + months, 1)).toISOString(),
  };
}
