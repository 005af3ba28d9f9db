import { apiRoute, json } from "@/lib/http/route";
import { METADATA_MAX_AGE_SECONDS, authorizationServerMetadata } from "@/lib/services/authorization-server";

export const GET = apiRoute(async () => json(authorizationServerMetadata(), 200, { "Cache-Control": `public, max-age=${METADATA_MAX_AGE_SECONDS}` }));
