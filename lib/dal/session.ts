import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import type { Principal } from "@/lib/dal/user-dto";
import type { Role } from "@/lib/generated/prisma/enums";
import { DatabaseUnavailableError } from "@/lib/services/errors";

export type CurrentUser = Principal;

/** The signed-in user after the database revocation check, once per request. */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.username) return null;
  if (user.unverified) throw new DatabaseUnavailableError();
  return { id: user.id, username: user.username, email: user.email, role: user.role };
});

export async function requireUser(callbackPath = "/dashboard"): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return user;
}

export async function requireRole(role: Role, callbackPath: string): Promise<CurrentUser> {
  const user = await requireUser(callbackPath);
  if (user.role !== role) forbidden();
  return user;
}
