import { useLocale } from "next-intl";
import { formatTimestamp, type TimestampPrecision } from "@/i18n/format";
import type { Locale } from "@/i18n/locales";

/** A stored time shown to people: `<time>` keeps the exact ISO value for machines, the text follows the language. */
export function Timestamp({ value, precision = "minute" }: { value: string; precision?: TimestampPrecision }) {
  const locale = useLocale() as Locale;
  return <time dateTime={value}>{formatTimestamp(value, locale, precision)}</time>;
}
