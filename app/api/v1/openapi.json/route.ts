import { env } from "@/lib/env";
import { json } from "@/lib/http/route";
import { buildOpenApiDocument } from "@/lib/openapi";

export async function GET() {
  const settings = env();
  return json(buildOpenApiDocument(settings.PASSWORD_MIN_LENGTH, { serverUrl: settings.AUTH_URL }));
}
