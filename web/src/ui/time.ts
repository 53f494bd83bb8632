// Times as people read them, in their own time zone.
const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO timestamp as a short local date and time. */
export function formatTime(iso: string): string {
  return FORMAT.format(new Date(iso));
}
