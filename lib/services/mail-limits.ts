import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { consumeRateLimit, knownRateLimitRefusal } from "@/lib/security/rate-limit";
import type { RequestContext } from "@/lib/security/request-context";

export const mailsByAddressKey = (email: string) => `mails:address:${email}`;
export const mailsByIpKey = (clientKey: string) => `mails:ip:${clientKey}`;

/**
 * Counts one mail-sending request against the client address and the recipient; 429 past either limit. Either one
 * already known to be full refuses before anything is counted.
 */
export async function assertMailAllowed(email: string, context: RequestContext): Promise<void> {
  const settings = env();
  const [ipKey, addressKey] = [mailsByIpKey(context.clientKey), mailsByAddressKey(email)];
  const known = knownRateLimitRefusal(ipKey) ?? knownRateLimitRefusal(addressKey);
  if (known !== null) throw ApiError.rateLimited(known);
  const byIp = await consumeRateLimit(ipKey, settings.RATE_LIMIT_MAILS_PER_IP);
  if (!byIp.allowed) throw ApiError.rateLimited(byIp.retryAfterSeconds);
  const byAddress = await consumeRateLimit(addressKey, settings.RATE_LIMIT_MAILS_PER_ADDRESS);
  if (!byAddress.allowed) throw ApiError.rateLimited(byAddress.retryAfterSeconds);
}

/** For mail a request sends as a side effect (signup): past the limit the mail is skipped, the answer unchanged. */
export async function mayMail(email: string): Promise<boolean> {
  return (await consumeRateLimit(mailsByAddressKey(email), env().RATE_LIMIT_MAILS_PER_ADDRESS)).allowed;
}
