import { getTranslations } from "next-intl/server";
import { stopViewingAction } from "@/app/(auth)/actions";
import { currentSessionForFrame } from "@/lib/dal/session";

/** On every page while an administrator views as a user: whose account this is, and the way out. */
export async function ImpersonationBanner() {
  const session = await currentSessionForFrame();
  if (!session?.impersonation) return null;
  const { user } = session;
  const t = await getTranslations("impersonation");
  return (
    <div role="region" aria-label={t("bannerLabel")} className="bg-amber-100 text-amber-950 ring-1 ring-amber-300">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm">
        <p>
          <strong>{t("viewingAs", { username: user.username })}</strong> {t("readOnly")}
        </p>
        <form action={stopViewingAction}>
          <button type="submit" className="rounded-md bg-amber-900 px-3 py-1.5 font-semibold text-white hover:bg-amber-800">
            {t("stop")}
          </button>
        </form>
      </div>
    </div>
  );
}
