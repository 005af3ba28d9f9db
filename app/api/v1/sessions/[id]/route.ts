import { ApiError } from "@/lib/errors";
import { authenticatePerson } from "@/lib/http/authenticate";
import { assertNoForeignBody } from "@/lib/http/body";
import { apiRoute, noContent } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { endOwnSession } from "@/lib/services/sessions";
import { recordIdSchema } from "@/lib/validations/admin";

type Context = { params: Promise<{ id: string }> };

/** Ending a session only takes access away, so it needs no recent authentication; the caller's own one may end too. */
export const DELETE = apiRoute<Context>(async (request, context) => {
  const { user } = await authenticatePerson(request);
  assertNoForeignBody(request);
  const id = recordIdSchema.safeParse((await context.params).id);
  if (!id.success) throw ApiError.notFound("session");
  await endOwnSession(user.id, id.data, requestContext(request.headers));
  return noContent();
});
