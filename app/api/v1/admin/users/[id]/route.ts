import { ApiError } from "@/lib/errors";
import { assertRecentAuthentication, authenticateRole } from "@/lib/http/authenticate";
import { assertNoForeignBody, readJson } from "@/lib/http/body";
import { apiRoute, json, noContent } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { deleteUser, updateUser } from "@/lib/services/admin";
import { updateUserSchema, recordIdSchema } from "@/lib/validations/admin";

type Context = { params: Promise<{ id: string }> };

async function targetId(context: Context): Promise<string> {
  const parsed = recordIdSchema.safeParse((await context.params).id);
  if (!parsed.success) throw ApiError.notFound("user");
  return parsed.data;
}

export const PATCH = apiRoute<Context>(async (request, context) => {
  const caller = await authenticateRole(request, "ADMIN", "admin:users:write");
  const { user } = caller;
  const id = await targetId(context);
  const input = await readJson(request, updateUserSchema);
  if (input.role !== undefined) await assertRecentAuthentication(caller);
  return json({ user: await updateUser(user.id, id, input, requestContext(request.headers)) });
});

export const DELETE = apiRoute<Context>(async (request, context) => {
  const caller = await authenticateRole(request, "ADMIN", "admin:users:write");
  const { user } = caller;
  assertNoForeignBody(request);
  await assertRecentAuthentication(caller);
  await deleteUser(user.id, await targetId(context), requestContext(request.headers));
  return noContent();
});
