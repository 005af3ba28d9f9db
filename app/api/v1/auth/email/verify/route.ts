import { readJson } from "@/lib/http/body";
import { apiRoute, noContent } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { confirmEmailToken } from "@/lib/services/email-flows";
import { verifyEmailSchema } from "@/lib/validations/auth";

export const POST = apiRoute(async (request) => {
  const { token } = await readJson(request, verifyEmailSchema);
  await confirmEmailToken(token, requestContext(request.headers));
  return noContent();
});
