import { JWKS_MAX_AGE_SECONDS, publishedJwks, type PublicJwk } from "@/lib/crypto/signing-keys";
import { publicOrigin } from "@/lib/env";

export { JWKS_MAX_AGE_SECONDS };
/** Metadata changes only with a release or AUTH_URL; caches may keep it as long as the key set. */
export const METADATA_MAX_AGE_SECONDS = JWKS_MAX_AGE_SECONDS;

export async function jsonWebKeySet(): Promise<{ keys: PublicJwk[] }> {
  return { keys: await publishedJwks() };
}

/**
 * RFC 8414 metadata. The issuer is the public origin (AUTH_URL), which is also every access token's `iss`, so a
 * service configured with it finds the keys at `jwks_uri` and checks `iss` against the same string.
 */
export function authorizationServerMetadata() {
  const origin = publicOrigin();
  return {
    issuer: origin,
    token_endpoint: `${origin}/api/v1/auth/token`,
    revocation_endpoint: `${origin}/api/v1/auth/revoke`,
    introspection_endpoint: `${origin}/api/v1/auth/introspect`,
    jwks_uri: `${origin}/.well-known/jwks.json`,
    grant_types_supported: ["password", "refresh_token"],
    // No authorization endpoint: no response type is offered.
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    service_documentation: `${origin}/docs/api`,
  };
}
