import { DEFAULT_LOCALE, type Locale } from "./locales";

/** `day`: a date (a key's creation); `minute`: a moment (a sign-in), always with its time zone named. */
export type TimestampPrecision = "day" | "minute";

// Every reader sees UTC: a server-rendered page doesn't know the reader's zone, and admins compare times with logs.
const OPTIONS: Record<TimestampPrecision, Intl.DateTimeFormatOptions> = {
  day: { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" },
  minute: { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC", timeZoneName: "short" },
};

const formats = new Map<string, Intl.DateTimeFormat>();

/** A time for people, in their language: `Dec 3, 2026, 07:33 UTC`, `3. Dez. 2026, 07:33 UTC`. */
export function formatTimestamp(value: string | Date, locale: Locale = DEFAULT_LOCALE, precision: TimestampPrecision = "minute"): string {
  const key = `${locale}:${precision}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, OPTIONS[precision])));
  return format.format(typeof value === "string" ? new Date(value) : value);
}

/**
 * `2026-12-03 07:33` (UTC): the same in every language, for texts people may paste into a ticket or match by pattern
 * (the suspension mail and its sign-in refusal, whose words name the zone).
 */
export function formatUtcMinute(value: Date): string {
  return value.toISOString().slice(0, 16).replace("T", " ");
}
