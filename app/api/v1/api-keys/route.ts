import { authenticateRecentPerson, authenticateRequest } from "@/lib/http/authenticate";
import { readJson } from "@/lib/http/body";
import { apiRoute, json } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { createUserApiKey, listApiKeys } from "@/lib/services/api-keys";
import { createApiKeySchema } from "@/lib/validations/auth";

export const GET = apiRoute(async (request) => {
  const { user } = await authenticateRequest(request, "keys:manage");
  return json({ apiKeys: await listApiKeys(user.id) });
});

export const POST = apiRoute(async (request) => {
  const { user } = await authenticateRecentPerson(request, "keys:manage");
  const input = await readJson(request, createApiKeySchema);
  return json(await createUserApiKey(user.id, input, requestContext(request.headers)), 201);
});
