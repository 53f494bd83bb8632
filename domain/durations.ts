// Durations, one implementation: the directory file's notation (`4h`, `1h30m`, `1w`), the compact
// form messages use (`8h`, `7d`), and words for choices people pick from (`8 hours`).

/** Seconds per unit of the file's notation, largest last. */
const UNITS = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;
/** The database stores durations as `integer` seconds. */
export const MAX_DURATION_SECONDS = 2_147_483_647;
/** How to write one, for error messages. */
export const DURATION_HINT =
  'a whole number and a unit (s, m, h, d or w), like "45s", "30m", "4h", "2d", "1w" or "1h30m"';

/** What is wrong with a duration, phrased to follow a field name ("must be ..."); undefined if fine. */
export function durationProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^(?:\d+[smhdw])+$/.test(trimmed)) return `must be a duration: ${DURATION_HINT}`;
  const seconds = sumDuration(trimmed);
  if (seconds === 0) return 'must be longer than zero';
  if (seconds > MAX_DURATION_SECONDS) return `must be at most ${formatDuration(MAX_DURATION_SECONDS)}`;
  return undefined;
}

function sumDuration(trimmed: string): number {
  let seconds = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) {
    seconds += Number(amount) * UNITS[unit as keyof typeof UNITS];
  }
  return seconds;
}

/** `30m`, `4h`, `2d`, `1w`, `45s` or `1h30m` in seconds; throws a RangeError naming the problem. */
export function parseDuration(text: string): number {
  const problem = durationProblem(text);
  if (problem) throw new RangeError(`invalid duration "${text}": ${problem}`);
  return sumDuration(text.trim());
}

/**
 * Seconds written compactly: `14400` → `4h`, `5400` → `1h30m`. With `weeks` (the file's notation)
 * `604800` is `1w`; without (messages) it is `7d`. Zero is `0s`.
 */
export function formatDuration(seconds: number, options: { weeks?: boolean } = { weeks: true }): string {
  if (!Number.isInteger(seconds) || seconds < 0) return `${seconds}s`;
  const units = Object.entries(UNITS)
    .filter(([unit]) => options.weeks || unit !== 'w')
    .reverse();
  let rest = seconds;
  let text = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text || '0s';
}

/** "1 hour", "8 hours", "3 days", "90 minutes": a duration people pick from a list. */
export function durationWords(seconds: number): string {
  const [amount, unit] =
    seconds % 86_400 === 0
      ? [seconds / 86_400, 'day']
      : seconds % 3_600 === 0
        ? [seconds / 3_600, 'hour']
        : [Math.round(seconds / 60), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
