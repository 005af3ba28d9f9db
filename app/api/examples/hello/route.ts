import { authenticateRequest } from "@/lib/http/authenticate";
import { apiRoute, json } from "@/lib/http/route";

/**
 * A worked example of an API route of your own app (docs/embedding.md): the same check as /api/v1/me, so a bearer
 * access token, an API key or the browser's session cookie is accepted and anything else gets 401.
 */
export const GET = apiRoute(async (request) => {
  const caller = await authenticateRequest(request, "profile:read");
  return json({ message: `Hello, ${caller.user.username}`, via: caller.via });
});
