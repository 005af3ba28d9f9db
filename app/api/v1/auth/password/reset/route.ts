import { env } from "@/lib/env";
import { readJson } from "@/lib/http/body";
import { apiRoute, noContent } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { resetPassword } from "@/lib/services/email-flows";
import { resetPasswordSchema } from "@/lib/validations/auth";

export const POST = apiRoute(async (request) => {
  const { token, password } = await readJson(request, resetPasswordSchema(env().PASSWORD_MIN_LENGTH));
  await resetPassword(token, password, requestContext(request.headers));
  return noContent();
});
