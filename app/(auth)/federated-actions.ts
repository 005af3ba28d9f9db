"use server";

import { signIn } from "@/auth";
import { federatedProviders } from "@/lib/services/federated-providers";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { formText } from "@/lib/forms/form-state";

/** "Continue with <name>" (and "Link <name>" on /account): off to the identity provider, with PKCE, state and nonce. */
export async function federatedSignInAction(formData: FormData): Promise<void> {
  const provider = formText(formData, "provider");
  if (!federatedProviders().some((configured) => configured.id === provider)) return;
  await signIn(provider, { redirectTo: safeRedirectPath(formText(formData, "callbackUrl")) });
}
