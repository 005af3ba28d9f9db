import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { changePasswordAction, unlinkAccountAction } from "@/app/account/actions";
import { revokeApiKeyAction } from "@/app/account/api-key-actions";
import { removePasskeyAction, renamePasskeyAction } from "@/app/account/passkey-actions";
import { deleteUserConfirmedAction, setLockedAction } from "@/app/admin/actions";
import { createDatabase, setCurrentDatabase, type Database } from "@/lib/db/client";
import { unavailableMessage } from "@/lib/forms/action-outcome";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createAdminWithToken, createUserWithToken } from "../support/http";

// Server actions called as a form post would call them: the guards answer with the signed-in user set here (the
// guards have their own tests), everything below them is real.
const signedIn = vi.hoisted(() => ({ user: { id: "", username: "", email: "", role: "USER" as "USER" | "ADMIN" }, sessionId: "", impersonation: false }));
vi.mock("@/lib/dal/session", () => ({
  requireSession: async () => signedIn,
  requireAccountOwner: async () => signedIn,
  requireRecentAuthentication: async () => signedIn,
  requireRole: async () => signedIn.user,
  currentSession: async () => signedIn,
  currentRequestContext: async () => TEST_CONTEXT,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

async function signInAs(prefix: string, role: "USER" | "ADMIN" = "USER") {
  const { user } = role === "ADMIN" ? await createAdminWithToken(prefix) : await createUserWithToken(prefix);
  Object.assign(signedIn, { user: { id: user.id, username: user.username, email: user.email, role }, sessionId: "test-session" });
  return user;
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

/** Where a server action's redirect() points (it throws Next's redirect error, whose digest carries the URL). */
async function redirectOf(action: Promise<unknown>): Promise<string> {
  const error = await action.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  const digest = (error as { digest?: unknown } | undefined)?.digest;
  if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT;")) throw new Error(`no redirect: ${String(error)}`);
  return digest.split(";")[2];
}

describe("a refusal is never reported as a success", () => {
  beforeEach(() => {
    signedIn.user.id = "";
  });

  it("removing a passkey that isn't there says so", async () => {
    await signInAs("rmpk");
    expect(await redirectOf(removePasskeyAction(form({ id: "no-such-passkey" })))).toBe("/account?notice=passkey-not-found");
  });

  it("renaming a passkey that isn't there says so", async () => {
    await signInAs("rnpk");
    expect(await redirectOf(renamePasskeyAction(form({ id: "no-such-passkey", name: "Laptop" })))).toBe("/account?notice=passkey-not-found");
  });

  it("unlinking a provider that isn't linked says so", async () => {
    await signInAs("unlink");
    expect(await redirectOf(unlinkAccountAction(form({ provider: "oidc" })))).toBe("/account?notice=account-not-linked");
  });

  it("unlinking the last way to sign in is refused by its code", async () => {
    const user = await signInAs("lastway");
    await database.prisma.account.create({ data: { userId: user.id, type: "oidc", provider: "oidc", providerAccountId: `sub-${user.id}` } });
    await database.prisma.user.update({ where: { id: user.id }, data: { passwordHash: null } });
    expect(await redirectOf(unlinkAccountAction(form({ provider: "oidc" })))).toBe("/account?notice=last-sign-in-method");
  });

  it("revoking an API key that isn't there says so", async () => {
    await signInAs("rvkey");
    expect(await redirectOf(revokeApiKeyAction(form({ id: "cm0000000000000000000000" })))).toBe("/account?notice=api-key-not-found");
  });

  it("an admin's refusal is chosen by its code, not its message", async () => {
    const admin = await signInAs("selflock", "ADMIN");
    expect(await redirectOf(setLockedAction(form({ userId: admin.id, locked: "true", returnTo: "/admin" })))).toBe("/admin?notice=self");
  });
});

describe("a database outage during an action's work", () => {
  let away: Database;
  let previous: Database | undefined;
  beforeAll(() => {
    // Nothing listens on the discard port: every query is refused, as with a database that has gone away.
    away = createDatabase({ kind: "postgres", url: "postgresql://latchkey:latchkey@127.0.0.1:9/latchkey" });
  });
  afterAll(async () => {
    await away.close();
  });

  async function duringOutage<T>(run: () => Promise<T>): Promise<T> {
    previous = setCurrentDatabase(away);
    try {
      return await run();
    } finally {
      setCurrentDatabase(previous);
    }
  }

  it("answers a form with the outage message and what was typed, never the password", async () => {
    await signInAs("outform");
    const state = await duringOutage(() =>
      changePasswordAction({ status: "idle" }, form({ currentPassword: PASSWORD, newPassword: "a brand new passphrase for this" })),
    );
    expect(state).toEqual({ status: "error", message: unavailableMessage() });
  });

  it("answers a button with the outage notice", async () => {
    await signInAs("outbtn");
    expect(await duringOutage(() => redirectOf(removePasskeyAction(form({ id: "any" }))))).toBe("/account?notice=unavailable");
    const admin = await signInAs("outadm", "ADMIN");
    expect(await duringOutage(() => redirectOf(setLockedAction(form({ userId: admin.id, locked: "false", returnTo: "/admin/users" }))))).toBe(
      "/admin/users?notice=unavailable",
    );
    const confirmDelete = form({ userId: admin.id, confirmation: admin.username, returnTo: `/admin/users/${admin.id}` });
    expect(await duringOutage(() => redirectOf(deleteUserConfirmedAction(confirmDelete)))).toBe(`/admin/users/${admin.id}?notice=unavailable`);
  });
});
