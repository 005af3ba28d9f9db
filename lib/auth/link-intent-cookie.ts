import "server-only";
import { cookies } from "next/headers";
import { publicOrigin } from "@/lib/env";
import { LINK_INTENT_TTL_SECONDS } from "@/lib/services/link-intents";

/** Holds a linking intent between /account and the identity provider's callback, and is sent nowhere else. */
export const LINK_INTENT_COOKIE = "latchkey.link-intent";
export const LINK_INTENT_COOKIE_PATH = "/api/auth";

export async function rememberLinkIntent(token: string): Promise<void> {
  (await cookies()).set(LINK_INTENT_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: publicOrigin().startsWith("https:"),
    path: LINK_INTENT_COOKIE_PATH,
    maxAge: LINK_INTENT_TTL_SECONDS,
  });
}
