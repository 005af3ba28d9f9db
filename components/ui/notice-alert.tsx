import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { brand } from "@/lib/env/branding";
import { noticeFor } from "@/lib/forms/notices";

/** The `?notice=` a redirect brought, in its own tone (an error is announced as an alert, not a status). */
export async function NoticeAlert({ notice }: { notice: string | string[] | undefined }) {
  const entry = noticeFor(notice);
  if (!entry) return null;
  const t = await getTranslations("notices");
  return <Alert tone={entry.tone}>{t(entry.key, { app: brand().name })}</Alert>;
}
