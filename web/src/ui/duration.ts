// Durations as people say them ("3 days", "8 hours"), and the units a duration field offers.

/** The units a duration field offers, largest first, in seconds. */
export const DURATION_UNITS = [
  { unit: 'days', seconds: 86_400 },
  { unit: 'hours', seconds: 3_600 },
  { unit: 'minutes', seconds: 60 },
] as const;

/** One of DURATION_UNITS' names. */
export type DurationUnit = (typeof DURATION_UNITS)[number]['unit'];

/** Seconds in one `unit`. */
export function secondsPer(unit: DurationUnit): number {
  return DURATION_UNITS.find((candidate) => candidate.unit === unit)?.seconds ?? 1;
}

/** A whole number of seconds in the largest unit that divides it ("2 days", "90 minutes"). */
export function formatDuration(seconds: number): string {
  for (const { unit, seconds: size } of DURATION_UNITS) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${count === 1 ? unit.slice(0, -1) : unit}`;
    }
  }
  return `${seconds} seconds`;
}

/** The largest unit a maximum can be expressed in whole (so its field starts there). */
export function largestUnitOf(seconds: number): DurationUnit {
  return (
    DURATION_UNITS.find(({ seconds: size }) => seconds >= size && seconds % size === 0)?.unit ?? 'minutes'
  );
}
