import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { federatedProviders } from "@/lib/services/federated-providers";
import { federatedAuthProviders, federatedOrigins } from "./federation";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

function useEnv(values: Record<string, string>) {
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
  resetEnvCache();
}

describe("federated providers", () => {
  it("none unless every setting of a provider is present", () => {
    useEnv({ AUTH_OIDC_ISSUER: "https://idp.example", AUTH_OIDC_CLIENT_ID: "id", AUTH_OIDC_CLIENT_SECRET: "", AUTH_GITHUB_ID: "gh" });
    expect(federatedProviders()).toEqual([]);
    expect(federatedAuthProviders()).toEqual([]);
    expect(federatedOrigins()).toEqual([]);
  });

  it("an OpenID provider by its name, with PKCE, state and nonce; GitHub and Google presets when set", () => {
    useEnv({
      AUTH_OIDC_ISSUER: "https://idp.example/realms/main",
      AUTH_OIDC_CLIENT_ID: "latchkey",
      AUTH_OIDC_CLIENT_SECRET: "s3cret",
      AUTH_OIDC_NAME: "Acme SSO",
      AUTH_GITHUB_ID: "gh-id",
      AUTH_GITHUB_SECRET: "gh-secret",
      AUTH_GOOGLE_ID: "g-id",
      AUTH_GOOGLE_SECRET: "g-secret",
    });
    expect(federatedProviders()).toEqual([
      { id: "oidc", name: "Acme SSO" },
      { id: "github", name: "GitHub" },
      { id: "google", name: "Google" },
    ]);
    const [oidc] = federatedAuthProviders() as { id: string; checks?: string[]; issuer?: string }[];
    expect(oidc).toMatchObject({ id: "oidc", issuer: "https://idp.example/realms/main", checks: ["pkce", "state", "nonce"] });
    expect(federatedOrigins()).toEqual(["https://idp.example", "https://github.com", "https://accounts.google.com"]);
  });
});
