import { Alert } from "@/components/ui/alert";
import { noticeFor } from "@/lib/forms/notices";

/** The `?notice=` a redirect brought, in its own tone (an error is announced as an alert, not a status). */
export function NoticeAlert({ notice }: { notice: string | string[] | undefined }) {
  const entry = noticeFor(notice);
  return entry ? <Alert tone={entry.tone}>{entry.text}</Alert> : null;
}
