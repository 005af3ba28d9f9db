import { authenticateRequest } from "@/lib/http/authenticate";
import { assertNoForeignBody, bodyKind } from "@/lib/http/body";
import { oauthErrorResponse, readRevocationRequest } from "@/lib/http/oauth";
import { apiRoute, noContent } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { revokeAllSessions } from "@/lib/services/accounts";
import { revokeToken } from "@/lib/services/refresh-tokens";

/** With `{token}` (RFC 7009, no authentication: holding the token is the proof) only that token's family ends. */
export const POST = apiRoute(async (request) => {
  const context = requestContext(request.headers);
  const kind = request.headers.has("content-type") ? bodyKind(request, ["json", "form"]) : null;
  try {
    const revocation = await readRevocationRequest(request, kind);
    if (revocation) {
      await revokeToken(revocation.token, context);
      return noContent();
    }
  } catch (error) {
    if (kind === "form") return oauthErrorResponse(error, request);
    throw error;
  }
  // Without a token, "log out everywhere" for the caller, as JSON only: no cross-site form can ask for it.
  const { user } = await authenticateRequest(request, null);
  assertNoForeignBody(request);
  await revokeAllSessions(user.id, context);
  return noContent();
});
