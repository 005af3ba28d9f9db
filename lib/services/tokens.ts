import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken } from "@/lib/crypto/access-token";
import { env } from "@/lib/env";
import { ApiError, accountSuspendedMessage } from "@/lib/errors";
import { consumeRateLimit, knownRateLimitRefusal } from "@/lib/security/rate-limit";
import type { RequestContext } from "@/lib/security/request-context";
import { recordRefusalAudit } from "./audit";
import { attemptLogin } from "./login";
import { verifySecondFactor } from "./two-factor";
import { createSession } from "./sessions";

export type TokenResponse = { access_token: string; token_type: "Bearer"; expires_in: number };

export const tokenRequestsByIpKey = (clientKey: string) => `token-requests:ip:${clientKey}`;

/** The OAuth2 password grant: a 15-minute access token for a correct email-or-username and password. */
/** `otp` (a current code or a recovery code) is needed when the account has two-factor authentication on. */
export async function issueTokenForCredentials(
  identifier: string,
  password: string,
  context: RequestContext,
  otp?: string,
): Promise<TokenResponse> {
  const key = tokenRequestsByIpKey(context.clientKey);
  const refused = async (retryAfterSeconds: number) => {
    await recordRefusalAudit({ type: "token.rate_limited", context, detail: { retryAfterSeconds } }, key);
    return ApiError.rateLimited(retryAfterSeconds);
  };
  const known = knownRateLimitRefusal(key);
  if (known !== null) throw await refused(known);
  // Taken inside the sign-in, after it knows the account is not already blocked: a refusal it knows costs no write.
  const outcome = await attemptLogin(identifier, password, context, "api", async () => {
    const slot = await consumeRateLimit(key, env().RATE_LIMIT_TOKEN_REQUESTS_PER_IP);
    if (!slot.allowed) throw await refused(slot.retryAfterSeconds);
  });
  if (!outcome.ok) {
    if (outcome.error === "rate_limited") throw ApiError.rateLimited(outcome.retryAfterSeconds);
    if (outcome.error === "account_suspended") throw ApiError.of("account_suspended", { message: accountSuspendedMessage(outcome.until) });
    throw outcome.error === "email_not_verified" ? ApiError.emailNotVerified() : ApiError.invalidCredentials();
  }
  if (outcome.secondFactor) {
    if (!otp) throw ApiError.mfaRequired();
    const second = await verifySecondFactor(outcome.user.id, otp, context, "api");
    if (!second.ok) throw second.error === "rate_limited" ? ApiError.rateLimited(second.retryAfterSeconds) : ApiError.invalidCredentials();
  }
  // Taken once every factor has passed: the token's auth_time, which sudo mode checks.
  const authTime = Math.floor(Date.now() / 1000);
  const sessionId = await createSession(outcome.user.id, "ACCESS_TOKEN", context);
  return {
    access_token: await issueAccessToken({ userId: outcome.user.id, sessionId, authTime }),
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
  };
}
