import type { Provider } from "next-auth/providers";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { env } from "@/lib/env";
import { federatedProviders } from "@/lib/services/federated-providers";

/** Set on a federated profile when the provider vouches for the email address (OIDC's `email_verified`). */
export const PROVIDER_VERIFIED_EMAIL = "providerVerifiedEmail";

/** Auth.js provider configurations for the configured identity providers, each with PKCE and state (and nonce for OIDC). */
export function federatedAuthProviders(): Provider[] {
  const settings = env();
  const configured = new Set(federatedProviders().map((provider) => provider.id));
  const providers: Provider[] = [];
  if (configured.has("oidc")) {
    providers.push({
      id: "oidc",
      name: settings.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: settings.AUTH_OIDC_ISSUER,
      clientId: settings.AUTH_OIDC_CLIENT_ID,
      clientSecret: settings.AUTH_OIDC_CLIENT_SECRET,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid email profile" } },
      profile: (claims) => ({
        id: String(claims.sub),
        name: (claims.name ?? claims.preferred_username ?? null) as string | null,
        email: (claims.email ?? null) as string | null,
        image: (claims.picture ?? null) as string | null,
        [PROVIDER_VERIFIED_EMAIL]: claims.email_verified === true,
      }),
    });
  }
  if (configured.has("github")) providers.push(GitHub({ clientId: settings.AUTH_GITHUB_ID, clientSecret: settings.AUTH_GITHUB_SECRET }));
  if (configured.has("google")) providers.push(Google({ clientId: settings.AUTH_GOOGLE_ID, clientSecret: settings.AUTH_GOOGLE_SECRET }));
  return providers;
}

/** Where "Continue with …" sends the browser: pages allow these as form targets (Content-Security-Policy). */
export function federatedOrigins(): string[] {
  const settings = env();
  const configured = new Set(federatedProviders().map((provider) => provider.id));
  return [
    ...(configured.has("oidc") && settings.AUTH_OIDC_ISSUER ? [new URL(settings.AUTH_OIDC_ISSUER).origin] : []),
    ...(configured.has("github") ? ["https://github.com"] : []),
    ...(configured.has("google") ? ["https://accounts.google.com"] : []),
  ];
}
