// Times as people read them, in their own time zone.
const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO timestamp as a short local date and time. */
export function formatTime(iso: string): string {
  return FORMAT.format(new Date(iso));
}

const DAY_FORMAT = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const CLOCK_FORMAT = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** A day as "Mar 4". */
export function formatDay(epochMs: number): string {
  return DAY_FORMAT.format(new Date(epochMs));
}

/** A time of day as "14:05". */
export function formatClock(epochMs: number): string {
  return CLOCK_FORMAT.format(new Date(epochMs));
}

/** How long ago (or how long) in the largest fitting unit: "3 d", "5 h", "12 min". */
export function formatAge(seconds: number): string {
  if (seconds >= 86_400) return `${Math.floor(seconds / 86_400)} d`;
  if (seconds >= 3_600) return `${Math.floor(seconds / 3_600)} h`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)} min`;
  return `${Math.max(0, Math.floor(seconds))} s`;
}
