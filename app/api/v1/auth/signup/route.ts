import { negotiateLocale } from "@/i18n/locales";
import { env } from "@/lib/env";
import { readJson } from "@/lib/http/body";
import { apiRoute, json } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { signUp } from "@/lib/services/accounts";
import { signupSchema } from "@/lib/validations/auth";

export const POST = apiRoute(async (request) => {
  const input = await readJson(request, signupSchema(env().PASSWORD_MIN_LENGTH));
  const result = await signUp(input, requestContext(request.headers), negotiateLocale(request.headers.get("accept-language")));
  return result.status === "created" ? json({ user: result.user }, 201) : json({ status: "verification_sent" }, 202);
});
