import { bodyKind, parseFormText, parseJsonText, parseWith, readBodyText } from "@/lib/http/body";
import { apiRoute, json } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { issueTokenForCredentials } from "@/lib/services/tokens";
import { loginSchema, passwordGrantSchema } from "@/lib/validations/auth";

export const POST = apiRoute(async (request) => {
  const kind = bodyKind(request, ["json", "form"]);
  const text = await readBodyText(request);
  const { identifier, password } =
    kind === "json"
      ? parseWith(loginSchema, parseJsonText(text))
      : (({ username, password }) => ({ identifier: username, password }))(
          parseWith(passwordGrantSchema, parseFormText(text)),
        );
  return json(await issueTokenForCredentials(identifier, password, requestContext(request.headers)), 200, { Pragma: "no-cache" });
});
