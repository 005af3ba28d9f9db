import { readJson } from "@/lib/http/body";
import { apiRoute, json } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { requestPasswordReset } from "@/lib/services/email-flows";
import { emailOnlySchema } from "@/lib/validations/auth";

export const POST = apiRoute(async (request) => {
  const { email } = await readJson(request, emailOnlySchema);
  await requestPasswordReset(email, requestContext(request.headers));
  return json({ status: "accepted" }, 202);
});
