import { env } from "@/lib/env";
import { apiRoute, json } from "@/lib/http/route";
import { buildOpenApiDocument } from "@/lib/openapi";

export const GET = apiRoute(async () => {
  const settings = env();
  return json(buildOpenApiDocument(settings.PASSWORD_MIN_LENGTH, { serverUrl: settings.AUTH_URL }));
});
