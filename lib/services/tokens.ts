import { env } from "@/lib/env";
import { ApiError, accountSuspendedMessage } from "@/lib/errors";
import { consumeRateLimit, knownRateLimitRefusal } from "@/lib/security/rate-limit";
import type { RequestContext } from "@/lib/security/request-context";
import { recordRefusalAudit } from "./audit";
import { attemptLogin } from "./login";
import { rotateRefreshToken, startTokenFamily, type TokenResponse } from "./refresh-tokens";
import { verifySecondFactor } from "./two-factor";

export type { TokenResponse };

export const tokenRequestsByIpKey = (clientKey: string) => `token-requests:ip:${clientKey}`;

/**
 * Both grants share the per-address limit. The check whose answer is already known costs nothing; the slot itself
 * is taken only once the request got past its cheap refusals.
 */
function tokenRequestLimit(context: RequestContext) {
  const key = tokenRequestsByIpKey(context.clientKey);
  const refused = async (retryAfterSeconds: number) => {
    await recordRefusalAudit({ type: "token.rate_limited", context, detail: { retryAfterSeconds } }, key);
    return ApiError.rateLimited(retryAfterSeconds);
  };
  return {
    refuseIfKnown: async () => {
      const known = knownRateLimitRefusal(key);
      if (known !== null) throw await refused(known);
    },
    take: async () => {
      const slot = await consumeRateLimit(key, env().RATE_LIMIT_TOKEN_REQUESTS_PER_IP);
      if (!slot.allowed) throw await refused(slot.retryAfterSeconds);
    },
  };
}

/** The OAuth2 password grant: a 15-minute access token and a refresh token for a correct email-or-username and password. */
/** `otp` (a current code or a recovery code) is needed when the account has two-factor authentication on. */
export async function issueTokenForCredentials(
  identifier: string,
  password: string,
  context: RequestContext,
  otp?: string,
): Promise<TokenResponse> {
  const limit = tokenRequestLimit(context);
  await limit.refuseIfKnown();
  // Taken inside the sign-in, after it knows the account is not already blocked: a refusal it knows costs no write.
  const outcome = await attemptLogin(identifier, password, context, "api", limit.take);
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
  return startTokenFamily(outcome.user.id, context);
}

/** The refresh grant: no password and no code again, since the family's sign-in already passed every factor. */
export async function refreshAccessToken(refreshToken: string, context: RequestContext): Promise<TokenResponse> {
  const limit = tokenRequestLimit(context);
  await limit.refuseIfKnown();
  return rotateRefreshToken(refreshToken, context, limit.take);
}
