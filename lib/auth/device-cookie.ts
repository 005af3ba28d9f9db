import "server-only";
import { cookies, headers } from "next/headers";
import { publicOrigin } from "@/lib/env";
import { requestContext } from "@/lib/security/request-context";
import { recognizeSignInDevice } from "@/lib/services/known-devices";

/** Names the browser across sign-ins, so that a sign-in from a new one can be told to the owner. Grants nothing. */
const DEVICE_COOKIE = "latchkey.device";
/** Chrome keeps no cookie longer than 400 days. */
const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

/** Called once per browser sign-in (password, passkey, identity provider), never for API tokens. */
export async function noteBrowserSignIn(userId: string): Promise<void> {
  const jar = await cookies();
  const { token } = await recognizeSignInDevice(userId, jar.get(DEVICE_COOKIE)?.value, requestContext(await headers()));
  jar.set(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: publicOrigin().startsWith("https:"),
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
}
