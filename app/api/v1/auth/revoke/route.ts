import { authenticateRequest } from "@/lib/http/authenticate";
import { assertNoForeignBody } from "@/lib/http/body";
import { apiRoute, noContent } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { revokeAllSessions } from "@/lib/services/accounts";

export const POST = apiRoute(async (request) => {
  const { user } = await authenticateRequest(request, null);
  assertNoForeignBody(request);
  await revokeAllSessions(user.id, requestContext(request.headers));
  return noContent();
});
