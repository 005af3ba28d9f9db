import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { isDatabaseUnreachable } from "@/lib/db/errors";
import { REQUEST_PATH_HEADER } from "@/lib/security/headers";
import { DatabaseUnavailableError } from "@/lib/services/errors";

export const UNAVAILABLE_PATH = "/unavailable";

export function isOutage(error: unknown): boolean {
  return error instanceof DatabaseUnavailableError || isDatabaseUnreachable(error);
}

/**
 * A page can't answer 503, and an error thrown while it renders reaches a browser without JavaScript as a blank
 * page. So an outage sends the browser to one that says so (503, with a link back to where it was).
 */
export async function redirectToUnavailable(): Promise<never> {
  const from = (await headers()).get(REQUEST_PATH_HEADER) ?? "/";
  redirect(`${UNAVAILABLE_PATH}?from=${encodeURIComponent(from)}`);
}

/** A page's reads; a database outage becomes the "temporarily unavailable" page instead of a blank 500. */
export async function whileAvailable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isOutage(error)) return redirectToUnavailable();
    throw error;
  }
}
