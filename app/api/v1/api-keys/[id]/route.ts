import { ApiError } from "@/lib/errors";
import { authenticateRecentPerson } from "@/lib/http/authenticate";
import { assertNoForeignBody } from "@/lib/http/body";
import { apiRoute, noContent } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { revokeApiKey } from "@/lib/services/api-keys";
import { recordIdSchema } from "@/lib/validations/admin";

type Context = { params: Promise<{ id: string }> };

export const DELETE = apiRoute<Context>(async (request, context) => {
  const { user } = await authenticateRecentPerson(request, "keys:manage");
  assertNoForeignBody(request);
  const id = recordIdSchema.safeParse((await context.params).id);
  if (!id.success) throw ApiError.notFound("apiKey");
  await revokeApiKey(user.id, id.data, requestContext(request.headers));
  return noContent();
});
