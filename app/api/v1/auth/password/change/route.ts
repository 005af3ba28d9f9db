import { env } from "@/lib/env";
import { authenticatePerson } from "@/lib/http/authenticate";
import { readJson } from "@/lib/http/body";
import { apiRoute, noContent } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { changePassword } from "@/lib/services/accounts";
import { changePasswordSchema } from "@/lib/validations/auth";

export const POST = apiRoute(async (request) => {
  const { user, sessionId } = await authenticatePerson(request);
  const input = await readJson(request, changePasswordSchema(env().PASSWORD_MIN_LENGTH));
  await changePassword(user.id, input, { sessionId, context: requestContext(request.headers) });
  return noContent();
});
