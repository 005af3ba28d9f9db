import { apiRoute, json } from "@/lib/http/route";
import { JWKS_MAX_AGE_SECONDS, jsonWebKeySet } from "@/lib/services/authorization-server";

export const GET = apiRoute(async () => json(await jsonWebKeySet(), 200, { "Cache-Control": `public, max-age=${JWKS_MAX_AGE_SECONDS}` }));
