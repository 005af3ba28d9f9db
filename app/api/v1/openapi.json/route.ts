import { env } from "@/lib/env";
import { json } from "@/lib/http/route";
import { buildOpenApiDocument } from "@/lib/openapi";

export async function GET() {
  return json(buildOpenApiDocument(env().PASSWORD_MIN_LENGTH));
}
