import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import type { ReactNode } from "react";

/**
 * The account forms' words reach the browser on the account pages only, not on every page as app/layout.tsx's
 * CLIENT_NAMESPACES would send them. A nested provider replaces its parent's messages rather than adding to them,
 * so the shared namespaces come along again.
 */
const ACCOUNT_CLIENT_NAMESPACES = ["forms", "fieldErrors", "accountForms"] as const;

export async function AccountIntlProvider({ children }: { children: ReactNode }) {
  const messages = await getMessages();
  const accountMessages = Object.fromEntries(ACCOUNT_CLIENT_NAMESPACES.map((namespace) => [namespace, messages[namespace]]));
  return <NextIntlClientProvider messages={accountMessages}>{children}</NextIntlClientProvider>;
}
