import { bodyKind } from "@/lib/http/body";
import { oauthErrorResponse, readTokenRequest } from "@/lib/http/oauth";
import { apiRoute, json } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { issueTokenForCredentials, refreshAccessToken } from "@/lib/services/tokens";

export const POST = apiRoute(async (request) => {
  const kind = bodyKind(request, ["json", "form"]);
  const context = requestContext(request.headers);
  try {
    const grant = await readTokenRequest(request, kind);
    const tokens =
      grant.grant === "refresh_token"
        ? await refreshAccessToken(grant.refreshToken, context)
        : await issueTokenForCredentials(grant.identifier, grant.password, context, grant.otp);
    return json(tokens, 200, { Pragma: "no-cache" });
  } catch (error) {
    if (kind === "form") return oauthErrorResponse(error, request);
    throw error;
  }
});
