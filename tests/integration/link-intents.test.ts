import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import type { Account, Profile, User } from "next-auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LinkingNotAllowedError, latchkeyAdapter } from "@/lib/auth/adapter";
import { authConfig } from "@/lib/auth/config";
import { linkGrantFor, screenProviderCallback } from "@/lib/auth/federated-callback";
import { env } from "@/lib/env";
import { consumeLinkIntent, createLinkIntent } from "@/lib/services/link-intents";
import { createSession, endSession } from "@/lib/services/sessions";
import { freshDatabase, type TestDatabase } from "../support/database";
import { TEST_CONTEXT, createUsersDirectly, setEnv } from "../support/http";

const SESSION_COOKIE = "authjs.session-token";
const CALLBACK = "http://localhost:3000/api/auth/callback/oidc?code=abc&state=def";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});
beforeEach(() => {
  setEnv({
    AUTH_OIDC_ISSUER: "http://localhost:9/",
    AUTH_OIDC_CLIENT_ID: "client",
    AUTH_OIDC_CLIENT_SECRET: "a client secret long enough",
    AUTH_REQUIRE_EMAIL_VERIFICATION: undefined,
  });
});

async function signedInUser(prefix: string) {
  const [user] = await createUsersDirectly(1, prefix);
  const sessionId = await createSession(user.id, "BROWSER", TEST_CONTEXT);
  return { ...user, sessionId };
}

/** The browser's session cookie, signed as Auth.js signs it: valid as far as Auth.js itself can tell. */
const sessionCookie = async (sub: string, sid: string) =>
  `${SESSION_COOKIE}=${await encode({ token: { sub, sid }, secret: env().AUTH_SECRET, salt: SESSION_COOKIE })}`;

const callbackRequest = (cookies: string[], url = CALLBACK) => new NextRequest(url, { headers: { cookie: cookies.join("; ") } });

const sessionCookieOf = (request: Request) => request.headers.get("cookie")?.includes(`${SESSION_COOKIE}=`) ?? false;

describe("linking intents", () => {
  it("work once, for their provider, their user and their session", async () => {
    const alice = await signedInUser("intent");
    const token = await createLinkIntent(alice.id, alice.sessionId, "oidc");
    const presented = { provider: "oidc", userId: alice.id, sessionId: alice.sessionId };
    expect(await consumeLinkIntent(token, presented)).toEqual({ provider: "oidc", userId: alice.id, sessionId: alice.sessionId });
    expect(await consumeLinkIntent(token, presented)).toBeNull();

    const otherSession = await createSession(alice.id, "BROWSER", TEST_CONTEXT);
    const bob = await signedInUser("intentother");
    for (const wrong of [
      { ...presented, sessionId: otherSession },
      { ...presented, userId: bob.id, sessionId: bob.sessionId },
      { ...presented, provider: "github" },
    ]) {
      const fresh = await createLinkIntent(alice.id, alice.sessionId, "oidc");
      expect(await consumeLinkIntent(fresh, wrong)).toBeNull();
      // A refused attempt uses it up as well.
      expect(await consumeLinkIntent(fresh, presented)).toBeNull();
    }
    await expect(createLinkIntent(alice.id, alice.sessionId, "not-configured")).rejects.toMatchObject({ status: 404 });
  });

  it("expire, and die with their session or a lock", async () => {
    const alice = await signedInUser("intentexp");
    const presented = { provider: "oidc", userId: alice.id, sessionId: alice.sessionId };
    const expiring = await createLinkIntent(alice.id, alice.sessionId, "oidc");
    await database.prisma.linkIntent.updateMany({ where: { userId: alice.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await consumeLinkIntent(expiring, presented)).toBeNull();

    const beforeLogout = await createLinkIntent(alice.id, alice.sessionId, "oidc");
    await endSession(alice.sessionId);
    expect(await consumeLinkIntent(beforeLogout, presented)).toBeNull();

    const bob = await signedInUser("intentlock");
    const beforeLock = await createLinkIntent(bob.id, bob.sessionId, "oidc");
    await database.prisma.user.update({ where: { id: bob.id }, data: { lockedAt: new Date() } });
    expect(await consumeLinkIntent(beforeLock, { provider: "oidc", userId: bob.id, sessionId: bob.sessionId })).toBeNull();
  });
});

describe("an identity provider's callback", () => {
  it("with a dead session cookie and no intent is a sign-in: the cookie never reaches Auth.js", async () => {
    const victim = await signedInUser("deadcookie");
    const cookie = await sessionCookie(victim.id, victim.sessionId);
    await endSession(victim.sessionId);
    const { request } = await screenProviderCallback(callbackRequest([cookie, "authjs.state=keep-me"]));
    expect(sessionCookieOf(request)).toBe(false);
    expect(request.headers.get("cookie")).toBe("authjs.state=keep-me");
    expect(linkGrantFor(request)).toBeUndefined();
  });

  it("with a live session cookie but no intent is a sign-in too", async () => {
    const alice = await signedInUser("nointent");
    const { request } = await screenProviderCallback(callbackRequest([await sessionCookie(alice.id, alice.sessionId)]));
    expect(sessionCookieOf(request)).toBe(false);
    expect(linkGrantFor(request)).toBeUndefined();
  });

  it("links only with the intent of the session whose cookie comes with it, once", async () => {
    const alice = await signedInUser("linking");
    const cookie = await sessionCookie(alice.id, alice.sessionId);
    const token = await createLinkIntent(alice.id, alice.sessionId, "oidc");
    const screened = await screenProviderCallback(callbackRequest([cookie, `latchkey.link-intent=${token}`]));
    expect(sessionCookieOf(screened.request)).toBe(true);
    expect(linkGrantFor(screened.request)).toEqual({ provider: "oidc", userId: alice.id, sessionId: alice.sessionId });

    const replay = await screenProviderCallback(callbackRequest([cookie, `latchkey.link-intent=${token}`]));
    expect(sessionCookieOf(replay.request)).toBe(false);
    expect(linkGrantFor(replay.request)).toBeUndefined();

    // Another session's cookie (even the same user's) doesn't carry this session's intent.
    const otherSession = await createSession(alice.id, "BROWSER", TEST_CONTEXT);
    const forOther = await createLinkIntent(alice.id, alice.sessionId, "oidc");
    const crossed = await screenProviderCallback(callbackRequest([await sessionCookie(alice.id, otherSession), `latchkey.link-intent=${forOther}`]));
    expect(linkGrantFor(crossed.request)).toBeUndefined();
    expect(sessionCookieOf(crossed.request)).toBe(false);

    // A revoked session's intent is refused.
    const beforeRevoke = await createLinkIntent(alice.id, alice.sessionId, "oidc");
    await endSession(alice.sessionId);
    const revoked = await screenProviderCallback(callbackRequest([cookie, `latchkey.link-intent=${beforeRevoke}`]));
    expect(linkGrantFor(revoked.request)).toBeUndefined();
    expect(sessionCookieOf(revoked.request)).toBe(false);
  });

  it("other Auth.js routes are left alone", async () => {
    const alice = await signedInUser("otherroute");
    const cookie = await sessionCookie(alice.id, alice.sessionId);
    for (const url of ["http://localhost:3000/api/auth/callback/credentials", "http://localhost:3000/api/auth/session"]) {
      const { request, federatedCallback } = await screenProviderCallback(callbackRequest([cookie], url));
      expect(federatedCallback).toBe(false);
      expect(sessionCookieOf(request)).toBe(true);
    }
  });
});

describe("the adapter", () => {
  const account = (userId: string) => ({ userId, type: "oidc" as const, provider: "oidc", providerAccountId: `sub-${userId}` });

  it("refuses to link a provider account to an existing user without a linking intent", async () => {
    const victim = await signedInUser("adapterlink");
    await expect(latchkeyAdapter().linkAccount!(account(victim.id))).rejects.toBeInstanceOf(LinkingNotAllowedError);
    await expect(latchkeyAdapter({ userId: "someone-else", sessionId: "s", provider: "oidc" }).linkAccount!(account(victim.id))).rejects.toBeInstanceOf(
      LinkingNotAllowedError,
    );
    await expect(latchkeyAdapter({ userId: victim.id, sessionId: victim.sessionId, provider: "github" }).linkAccount!(account(victim.id))).rejects.toBeInstanceOf(
      LinkingNotAllowedError,
    );
    expect(await database.prisma.account.count({ where: { userId: victim.id } })).toBe(0);
  });

  it("links a user it has just created, or as the intent says", async () => {
    const adapter = latchkeyAdapter();
    const created = await adapter.createUser!({ id: "", email: `new.${Date.now()}@idp.example`, emailVerified: null, name: "New" });
    await adapter.linkAccount!(account(created.id));
    const linker = await signedInUser("adaptergrant");
    await latchkeyAdapter({ userId: linker.id, sessionId: linker.sessionId, provider: "oidc" }).linkAccount!(account(linker.id));
    expect(await database.prisma.account.count({ where: { userId: { in: [created.id, linker.id] } } })).toBe(2);
  });
});

describe("the signIn callback for identity providers", () => {
  const signIn = (config: ReturnType<typeof authConfig>, providerAccountId: string, profile: Profile = { email_verified: true }) =>
    config.callbacks!.signIn!({
      // What Auth.js passes for an account it doesn't know yet: the provider's profile, whose id is the provider's.
      user: { id: providerAccountId, email: "someone@idp.example" } as User,
      account: { provider: "oidc", type: "oidc", providerAccountId } as Account,
      profile,
    });

  it("refuses a locked user through their linked provider account", async () => {
    const locked = await signedInUser("lockedfed");
    await database.prisma.account.create({ data: { userId: locked.id, type: "oidc", provider: "oidc", providerAccountId: `sub-${locked.id}` } });
    expect(await signIn(authConfig(), `sub-${locked.id}`)).toBe(true);
    await database.prisma.user.update({ where: { id: locked.id }, data: { lockedAt: new Date() } });
    expect(await signIn(authConfig(), `sub-${locked.id}`)).toBe(false);
  });

  it("refuses linking to a user locked after the intent was checked", async () => {
    const linker = await signedInUser("lockedlinker");
    const token = await createLinkIntent(linker.id, linker.sessionId, "oidc");
    const { request } = await screenProviderCallback(callbackRequest([await sessionCookie(linker.id, linker.sessionId), `latchkey.link-intent=${token}`]));
    expect(linkGrantFor(request)).toBeDefined();
    await database.prisma.user.update({ where: { id: linker.id }, data: { lockedAt: new Date() } });
    expect(await signIn(authConfig(request), `new-sub-${linker.id}`)).toBe(false);
  });

  it("with AUTH_REQUIRE_EMAIL_VERIFICATION=1, refuses a provider that doesn't vouch for the email", async () => {
    setEnv({ AUTH_REQUIRE_EMAIL_VERIFICATION: "1" });
    expect(await signIn(authConfig(), "unvouched-sub", {})).toBe(false);
    expect(await signIn(authConfig(), "unvouched-sub", { email_verified: false })).toBe(false);
    expect(await signIn(authConfig(), "vouched-sub", { email_verified: true })).toBe(true);
    setEnv({ AUTH_REQUIRE_EMAIL_VERIFICATION: undefined });
    expect(await signIn(authConfig(), "unvouched-sub", {})).toBe(true);
  });
});
