import { authenticateService } from "@/lib/http/authenticate";
import { bodyKind, parseFormText, parseJsonText, parseWith, readBodyText } from "@/lib/http/body";
import { apiRoute, json } from "@/lib/http/route";
import { introspectToken } from "@/lib/services/introspection";
import { introspectionRequestSchema } from "@/lib/validations/introspection";

/** RFC 7662 token introspection, for services holding an API key with `tokens:introspect`. JSON or form-encoded. */
export const POST = apiRoute(async (request) => {
  await authenticateService(request, "tokens:introspect");
  const kind = bodyKind(request, ["json", "form"]);
  const text = await readBodyText(request);
  const { token } = parseWith(introspectionRequestSchema, kind === "json" ? parseJsonText(text) : parseFormText(text));
  return json(await introspectToken(token));
});
