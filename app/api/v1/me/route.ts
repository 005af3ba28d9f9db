import { ApiError } from "@/lib/errors";
import { authenticateRequest } from "@/lib/http/authenticate";
import { apiRoute, json } from "@/lib/http/route";
import { getUser } from "@/lib/services/accounts";

export const GET = apiRoute(async (request) => {
  const caller = await authenticateRequest(request, "profile:read");
  const user = caller.profile ?? (await getUser(caller.user.id));
  if (!user) throw ApiError.unauthorized();
  return json({ user });
});
