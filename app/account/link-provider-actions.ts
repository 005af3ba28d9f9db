"use server";

import { signIn } from "@/auth";
import { rememberLinkIntent } from "@/lib/auth/link-intent-cookie";
import { requireRecentAuthentication } from "@/lib/dal/session";
import { formText } from "@/lib/forms/form-state";
import { createLinkIntent } from "@/lib/services/link-intents";

/**
 * "Link <provider>" on /account: the only way a provider gets linked. A one-time intent bound to this session goes
 * into a cookie that only /api/auth receives; the provider's callback links only with it (lib/auth/federated-callback.ts).
 */
export async function linkProviderAction(formData: FormData): Promise<void> {
  // Adding a sign-in method needs a recent authentication (sudo mode), before the intent exists.
  const { user, sessionId } = await requireRecentAuthentication("/account");
  const token = await createLinkIntent(user.id, sessionId, formText(formData, "provider"));
  await rememberLinkIntent(token);
  await signIn(formText(formData, "provider"), { redirectTo: "/account?notice=provider-linked" });
}
