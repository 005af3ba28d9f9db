import { bodyKind, parseFormText, parseJsonText, parseWith, readBodyText } from "@/lib/http/body";
import { apiRoute, json } from "@/lib/http/route";
import { requestContext } from "@/lib/security/request-context";
import { issueTokenForCredentials } from "@/lib/services/tokens";
import { passwordGrantSchema, tokenRequestSchema } from "@/lib/validations/auth";

export const POST = apiRoute(async (request) => {
  const kind = bodyKind(request, ["json", "form"]);
  const text = await readBodyText(request);
  const { identifier, password, otp } =
    kind === "json"
      ? parseWith(tokenRequestSchema, parseJsonText(text))
      : (({ username, password, otp }) => ({ identifier: username, password, otp }))(
          parseWith(passwordGrantSchema, parseFormText(text)),
        );
  return json(await issueTokenForCredentials(identifier, password, requestContext(request.headers), otp), 200, { Pragma: "no-cache" });
});
