import { env } from "@/lib/env";

/** A sign-in provider as pages show it: "Continue with <name>". */
export type FederatedProvider = { id: string; name: string };

/** The providers whose settings are all present; none, and the pages show no federated buttons. */
export function federatedProviders(): FederatedProvider[] {
  const settings = env();
  return [
    ...(settings.AUTH_OIDC_ISSUER && settings.AUTH_OIDC_CLIENT_ID && settings.AUTH_OIDC_CLIENT_SECRET ? [{ id: "oidc", name: settings.AUTH_OIDC_NAME }] : []),
    ...(settings.AUTH_GITHUB_ID && settings.AUTH_GITHUB_SECRET ? [{ id: "github", name: "GitHub" }] : []),
    ...(settings.AUTH_GOOGLE_ID && settings.AUTH_GOOGLE_SECRET ? [{ id: "google", name: "Google" }] : []),
  ];
}
