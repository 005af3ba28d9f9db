import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken } from "@/lib/auth/access-token";
import { ApiError } from "@/lib/http/api-error";
import { authenticate } from "./accounts";

export type TokenResponse = { access_token: string; token_type: "Bearer"; expires_in: number };

/** The OAuth2 password grant: a 15-minute access token for a correct email-or-username and password. */
export async function issueTokenForCredentials(identifier: string, password: string): Promise<TokenResponse> {
  const user = await authenticate(identifier, password);
  if (!user) throw ApiError.invalidCredentials();
  return {
    access_token: await issueAccessToken({ userId: user.id, sessionVersion: user.sessionVersion }),
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
  };
}
