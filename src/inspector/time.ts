// Human-readable durations and relative times for token claims.

const units = [
  { name: 'year', seconds: 365 * 86_400 },
  { name: 'day', seconds: 86_400 },
  { name: 'hour', seconds: 3_600 },
  { name: 'minute', seconds: 60 },
  { name: 'second', seconds: 1 },
] as const;

/**
 * Describes a duration in seconds in its largest whole unit, rounded down: 899 seconds is
 * "14 minutes", 90 000 is "1 day". Negative durations are described by their magnitude.
 */
export function describeDuration(seconds: number): string {
  const magnitude = Math.abs(seconds);
  const unit = units.find((u) => magnitude >= u.seconds) ?? units[4];
  const count = Math.floor(magnitude / unit.seconds);
  return `${count} ${unit.name}${count === 1 ? '' : 's'}`;
}

/**
 * Describes a NumericDate (seconds since the epoch) relative to `now`: "in 14 minutes",
 * "3 hours ago", or "now" within one second.
 */
export function describeRelative(timeSeconds: number, now: Date): string {
  const difference = timeSeconds - now.getTime() / 1000;
  if (Math.abs(difference) < 1) return 'now';
  return difference > 0
    ? `in ${describeDuration(difference)}`
    : `${describeDuration(difference)} ago`;
}

/** Formats a NumericDate as an ISO 8601 UTC time, or undefined when it is out of range. */
export function formatNumericDate(timeSeconds: number): string | undefined {
  const date = new Date(timeSeconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace('.000Z', 'Z');
}
