import "server-only";
import { cookies } from "next/headers";
import { publicOrigin } from "@/lib/env";
import { MFA_CHALLENGE_TTL_SECONDS } from "@/lib/services/two-factor";

/** Holds the second-step challenge between /login and /login/verify, and is sent nowhere else. */
const MFA_CHALLENGE_COOKIE = "latchkey.mfa-challenge";
const MFA_CHALLENGE_COOKIE_PATH = "/login";

export async function rememberChallenge(token: string): Promise<void> {
  (await cookies()).set(MFA_CHALLENGE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: publicOrigin().startsWith("https:"),
    path: MFA_CHALLENGE_COOKIE_PATH,
    maxAge: MFA_CHALLENGE_TTL_SECONDS,
  });
}

export async function readChallenge(): Promise<string | null> {
  return (await cookies()).get(MFA_CHALLENGE_COOKIE)?.value ?? null;
}

export async function forgetChallenge(): Promise<void> {
  (await cookies()).delete({ name: MFA_CHALLENGE_COOKIE, path: MFA_CHALLENGE_COOKIE_PATH });
}
