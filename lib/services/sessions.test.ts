import { afterEach, describe, expect, it, vi } from "vitest";
import { ACCESS_TOKEN_TTL_SECONDS } from "@/lib/crypto/access-token";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/services/session-config";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import type { ApiError } from "@/lib/errors";
import { schemaOnlyDatabaseForFile } from "../../tests/support/database";
import {
  SESSION_ACTIVITY_WRITE_INTERVAL_MS,
  createSession,
  deleteExpiredSessions,
  endOtherSessions,
  endOwnSession,
  endSession,
  endUserSessions,
  isSessionRecentlyAuthenticated,
  listUserSessions,
  markSessionAuthenticated,
  sessionViewKind,
  validateSession,
} from "./sessions";

// The session check and what ends sessions, on an in-memory PGlite: the rules live in the SQL as much as in here.
schemaOnlyDatabaseForFile();
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

let counter = 0;
async function person() {
  counter += 1;
  return db().user.create({ data: { username: `sess_${counter}`, email: `sess${counter}@example.com` }, select: { id: true, username: true, email: true, createdAt: true } });
}
const CONTEXT = { ip: "192.0.2.1", clientKey: "192.0.2.1", userAgent: "unit" };
const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

describe("createSession", () => {
  it("a browser session lives a week, an access token's session 15 minutes, with the request's address", async () => {
    const user = await person();
    const browser = await db().session.findUniqueOrThrow({ where: { id: await createSession(user.id, "BROWSER", CONTEXT) } });
    const token = await db().session.findUniqueOrThrow({ where: { id: await createSession(user.id, "ACCESS_TOKEN") } });
    expect(Math.abs(browser.expires.getTime() - Date.now() - SESSION_MAX_AGE_SECONDS * 1000)).toBeLessThan(5000);
    expect(Math.abs(token.expires.getTime() - Date.now() - ACCESS_TOKEN_TTL_SECONDS * 1000)).toBeLessThan(5000);
    expect(browser).toMatchObject({ ip: "192.0.2.1", userAgent: "unit", kind: "BROWSER" });
    expect(token).toMatchObject({ ip: null, userAgent: null, kind: "ACCESS_TOKEN" });
  });
});

describe("validateSession", () => {
  it("answers the owner's profile for a live session, and only for its owner", async () => {
    const user = await person();
    const other = await person();
    const id = await createSession(user.id, "ACCESS_TOKEN");
    expect(await validateSession(id, user.id)).toEqual({
      id: user.id, username: user.username, email: user.email, role: "USER", emailVerified: false, createdAt: user.createdAt.toISOString(),
    });
    await db().user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
    expect((await validateSession(id, user.id))?.emailVerified).toBe(true);
    expect(await validateSession(id, other.id)).toBeNull();
    expect(await validateSession("no-such-session", user.id)).toBeNull();
  });

  it("ends at expiry, with a lock, and when the row is gone", async () => {
    const user = await person();
    const expired = await createSession(user.id, "ACCESS_TOKEN");
    await db().session.update({ where: { id: expired }, data: { expires: secondsAgo(1) } });
    expect(await validateSession(expired, user.id)).toBeNull();
    const live = await createSession(user.id, "ACCESS_TOKEN");
    await db().user.update({ where: { id: user.id }, data: { lockedAt: new Date() } });
    expect(await validateSession(live, user.id)).toBeNull();
    await db().user.update({ where: { id: user.id }, data: { lockedAt: null } });
    expect(await validateSession(live, user.id)).not.toBeNull();
    const bystander = await person();
    const theirs = await createSession(bystander.id, "BROWSER");
    await endSession(live);
    expect(await validateSession(live, user.id)).toBeNull();
    // Only that one (found by mutation testing: ending every session went unnoticed here).
    expect(await validateSession(theirs, bystander.id)).not.toBeNull();
  });

  it("ends an idle browser session (not an access token), and writes activity only after the interval", async () => {
    vi.stubEnv("SESSION_IDLE_TIMEOUT", "1h");
    resetEnvCache();
    const user = await person();
    const browser = await createSession(user.id, "BROWSER");
    const token = await createSession(user.id, "ACCESS_TOKEN");
    const lastSeen = async (id: string) => (await db().session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime();

    const recently = secondsAgo(SESSION_ACTIVITY_WRITE_INTERVAL_MS / 1000 - 30);
    await db().session.update({ where: { id: browser }, data: { lastSeenAt: recently } });
    expect(await validateSession(browser, user.id)).not.toBeNull();
    expect(await lastSeen(browser)).toBe(recently.getTime());

    const beyondInterval = secondsAgo(SESSION_ACTIVITY_WRITE_INTERVAL_MS / 1000 + 30);
    await db().session.update({ where: { id: browser }, data: { lastSeenAt: beyondInterval } });
    const elsewhere = await createSession(user.id, "BROWSER");
    await db().session.update({ where: { id: elsewhere }, data: { lastSeenAt: beyondInterval } });
    expect(await validateSession(browser, user.id)).not.toBeNull();
    expect(await lastSeen(browser)).toBeGreaterThan(Date.now() - 10_000);
    // Activity is written for that session alone (found by mutation testing).
    expect(await lastSeen(elsewhere)).toBe(beyondInterval.getTime());

    await db().session.update({ where: { id: browser }, data: { lastSeenAt: secondsAgo(3600 - 30) } });
    expect(await validateSession(browser, user.id)).not.toBeNull();
    await db().session.update({ where: { id: browser }, data: { lastSeenAt: secondsAgo(3600 + 30) } });
    expect(await validateSession(browser, user.id)).toBeNull();

    // An access token's session has no idle timeout and no activity writes: its 15 minutes are the limit.
    await db().session.update({ where: { id: token }, data: { lastSeenAt: secondsAgo(3600 + 30) } });
    expect(await validateSession(token, user.id)).not.toBeNull();
    expect(await lastSeen(token)).toBeLessThan(Date.now() - 3600_000);
  });
});

describe("sudo mode for browser sessions", () => {
  it("is recent after sign-in or a fresh proof, not after the window, and never for a session that ended", async () => {
    vi.stubEnv("AUTH_SUDO_WINDOW", "10m");
    resetEnvCache();
    const user = await person();
    const other = await person();
    const browser = await createSession(user.id, "BROWSER");
    expect(await isSessionRecentlyAuthenticated(browser)).toBe(true);
    await db().session.update({ where: { id: browser }, data: { authenticatedAt: secondsAgo(11 * 60) } });
    expect(await isSessionRecentlyAuthenticated(browser)).toBe(false);
    await markSessionAuthenticated(browser, other.id);
    expect(await isSessionRecentlyAuthenticated(browser)).toBe(false);
    await markSessionAuthenticated(browser, user.id);
    expect(await isSessionRecentlyAuthenticated(browser)).toBe(true);
    // An access token's session is not marked: its auth_time says when it was authenticated.
    const token = await createSession(user.id, "ACCESS_TOKEN");
    await db().session.update({ where: { id: token }, data: { authenticatedAt: secondsAgo(11 * 60) } });
    await markSessionAuthenticated(token, user.id);
    expect(await isSessionRecentlyAuthenticated(token)).toBe(false);
    await endSession(browser);
    expect(await isSessionRecentlyAuthenticated(browser)).toBe(false);
  });
});

describe("endUserSessions", () => {
  it("ends every session but the one kept, with pending 2FA steps, linking intents and unconfirmed address changes", async () => {
    const user = await person();
    const bystander = await person();
    const kept = await createSession(user.id, "BROWSER");
    await createSession(user.id, "BROWSER");
    await createSession(user.id, "ACCESS_TOKEN");
    const theirs = await createSession(bystander.id, "BROWSER");
    const later = new Date(Date.now() + 600_000);
    await db().mfaChallenge.create({ data: { userId: user.id, tokenHash: `mfa-${user.id}`, expiresAt: later } });
    await db().linkIntent.create({ data: { tokenHash: `li-${user.id}`, userId: user.id, sessionId: kept, provider: "oidc", expiresAt: later } });
    await db().emailToken.createMany({
      data: [
        { userId: user.id, purpose: "CHANGE_EMAIL", tokenHash: `ce-${user.id}`, email: "new@example.com", expiresAt: later },
        { userId: user.id, purpose: "RESET_PASSWORD", tokenHash: `rp-${user.id}`, email: user.email, expiresAt: later },
        { userId: user.id, purpose: "CHANGE_EMAIL", tokenHash: `used-${user.id}`, email: "old@example.com", expiresAt: later, usedAt: new Date() },
      ],
    });
    await db().mfaChallenge.create({ data: { userId: bystander.id, tokenHash: `mfa-${bystander.id}`, expiresAt: later } });
    await db().linkIntent.create({ data: { tokenHash: `li-${bystander.id}`, userId: bystander.id, sessionId: theirs, provider: "oidc", expiresAt: later } });

    expect(await endUserSessions(user.id, kept)).toBe(2);
    expect((await db().session.findMany({ where: { userId: user.id } })).map((row) => row.id)).toEqual([kept]);
    expect(await db().mfaChallenge.count({ where: { userId: user.id } })).toBe(0);
    expect(await db().linkIntent.count({ where: { userId: user.id } })).toBe(0);
    expect((await db().emailToken.findMany({ where: { userId: user.id }, orderBy: { tokenHash: "asc" } })).map((row) => row.tokenHash)).toEqual([`rp-${user.id}`, `used-${user.id}`]);
    expect(await endUserSessions(user.id)).toBe(1);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    // Nobody else's.
    expect(await db().session.count({ where: { id: theirs } })).toBe(1);
    expect(await db().mfaChallenge.count({ where: { userId: bystander.id } })).toBe(1);
    expect(await db().linkIntent.count({ where: { userId: bystander.id } })).toBe(1);
  });
});

describe("deleteExpiredSessions", () => {
  it("sweeps expired sessions and idle browser sessions, and keeps the rest", async () => {
    vi.stubEnv("SESSION_IDLE_TIMEOUT", "1h");
    resetEnvCache();
    await db().session.deleteMany();
    const user = await person();
    const expired = await createSession(user.id, "ACCESS_TOKEN");
    await db().session.update({ where: { id: expired }, data: { expires: secondsAgo(1) } });
    const idle = await createSession(user.id, "BROWSER");
    await db().session.update({ where: { id: idle }, data: { lastSeenAt: secondsAgo(3600 + 30) } });
    const idleToken = await createSession(user.id, "ACCESS_TOKEN");
    await db().session.update({ where: { id: idleToken }, data: { lastSeenAt: secondsAgo(3600 + 30) } });
    const active = await createSession(user.id, "BROWSER");
    await db().session.update({ where: { id: active }, data: { lastSeenAt: secondsAgo(3600 - 30) } });
    expect(await deleteExpiredSessions()).toBe(2);
    expect((await db().session.findMany({ orderBy: { id: "asc" } })).map((row) => row.id).sort()).toEqual([idleToken, active].sort());
  });

  it("sweeps refresh-token families unrefreshed for their own idle timeout, not the browser's", async () => {
    vi.stubEnv("SESSION_IDLE_TIMEOUT", "1h");
    vi.stubEnv("REFRESH_TOKEN_IDLE_TIMEOUT", "2h");
    resetEnvCache();
    await db().session.deleteMany();
    const user = await person();
    const idleFamily = await createSession(user.id, "REFRESH_TOKEN");
    await db().session.update({ where: { id: idleFamily }, data: { lastSeenAt: secondsAgo(7200 + 30) } });
    const family = await createSession(user.id, "REFRESH_TOKEN");
    await db().session.update({ where: { id: family }, data: { lastSeenAt: secondsAgo(7200 - 30) } });
    expect(await deleteExpiredSessions()).toBe(1);
    expect((await db().session.findMany()).map((row) => row.id)).toEqual([family]);
  });

  it("gives a refresh-token family REFRESH_TOKEN_LIFETIME and the authentication time it is given", async () => {
    vi.stubEnv("REFRESH_TOKEN_LIFETIME", "3d");
    resetEnvCache();
    const user = await person();
    const authenticatedAt = secondsAgo(5);
    const id = await createSession(user.id, "REFRESH_TOKEN", CONTEXT, { authenticatedAt });
    const row = await db().session.findUniqueOrThrow({ where: { id } });
    expect(Math.abs(row.expires.getTime() - Date.now() - 3 * 86_400_000)).toBeLessThan(5_000);
    expect(row.authenticatedAt).toEqual(authenticatedAt);
  });
});

describe("listUserSessions", () => {
  const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

  it("lists the owner's live sessions, most recently used first, with device, address, times and the current one", async () => {
    vi.stubEnv("SESSION_IDLE_TIMEOUT", "1h");
    vi.stubEnv("REFRESH_TOKEN_IDLE_TIMEOUT", "2h");
    resetEnvCache();
    const user = await person();
    const bystander = await person();
    await createSession(bystander.id, "BROWSER", CONTEXT);
    const older = await createSession(user.id, "BROWSER", { ...CONTEXT, userAgent: FIREFOX });
    await db().session.update({ where: { id: older }, data: { lastSeenAt: secondsAgo(600) } });
    const family = await createSession(user.id, "REFRESH_TOKEN", { ...CONTEXT, ip: "198.51.100.7" });
    // Idle past the browser's timeout but not a family's own: a family stays listed.
    await db().session.update({ where: { id: family }, data: { lastSeenAt: secondsAgo(3600 + 60) } });
    const token = await createSession(user.id, "ACCESS_TOKEN");
    await db().session.update({ where: { id: token }, data: { lastSeenAt: secondsAgo(3600 + 120) } });
    const newest = await createSession(user.id, "BROWSER", CONTEXT);
    const idleBrowser = await createSession(user.id, "BROWSER", CONTEXT);
    await db().session.update({ where: { id: idleBrowser }, data: { lastSeenAt: secondsAgo(3600 + 30) } });
    const idleFamily = await createSession(user.id, "REFRESH_TOKEN", CONTEXT);
    await db().session.update({ where: { id: idleFamily }, data: { lastSeenAt: secondsAgo(7200 + 30) } });
    const expired = await createSession(user.id, "BROWSER", CONTEXT);
    await db().session.update({ where: { id: expired }, data: { expires: secondsAgo(1) } });

    const list = await listUserSessions(user.id, older);
    expect(list.map((row) => row.id)).toEqual([newest, older, family, token]);
    const olderRow = await db().session.findUniqueOrThrow({ where: { id: older } });
    expect(list[1]).toEqual({
      id: older,
      kind: "browser",
      device: "Firefox on Linux",
      ip: "192.0.2.1",
      createdAt: olderRow.createdAt.toISOString(),
      lastUsedAt: olderRow.lastSeenAt.toISOString(),
      current: true,
    });
    expect(list.filter((row) => row.current).map((row) => row.id)).toEqual([older]);
    expect(list.map((row) => row.kind)).toEqual(["browser", "browser", "api", "api"]);
    expect(list[2]).toMatchObject({ ip: "198.51.100.7", kind: "api" });
    expect((await listUserSessions(user.id)).some((row) => row.current)).toBe(false);
  });

  it("breaks a tie in last use by id, so the order is stable", async () => {
    const user = await person();
    const at = secondsAgo(60);
    const ids = [await createSession(user.id, "BROWSER"), await createSession(user.id, "BROWSER"), await createSession(user.id, "BROWSER")];
    await db().session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: at } });
    expect((await listUserSessions(user.id)).map((row) => row.id)).toEqual([...ids].sort());
  });

  it("maps every kind to what its owner sees", () => {
    expect(sessionViewKind("BROWSER")).toBe("browser");
    expect(sessionViewKind("ACCESS_TOKEN")).toBe("api");
    expect(sessionViewKind("REFRESH_TOKEN")).toBe("api");
    expect(() => sessionViewKind("SOMETHING_NEW" as never)).toThrow("Unmapped session kind SOMETHING_NEW");
  });
});

describe("ending sessions from the session list", () => {
  it("ends one of the owner's sessions and audits it; someone else's is not found and stays", async () => {
    const user = await person();
    const other = await person();
    const mine = await createSession(user.id, "BROWSER");
    const alsoMine = await createSession(user.id, "BROWSER");
    const theirs = await createSession(other.id, "BROWSER");
    const refused = await endOwnSession(user.id, theirs, CONTEXT).then(
      () => null,
      (error: ApiError) => error,
    );
    expect(refused).toMatchObject({ code: "not_found", status: 404 });
    expect(refused?.toBody().error.message).toBe("Session not found");
    expect(await validateSession(theirs, other.id)).not.toBeNull();
    expect(await db().auditEvent.count({ where: { actorId: user.id } })).toBe(0);

    await endOwnSession(user.id, mine, CONTEXT);
    expect(await validateSession(mine, user.id)).toBeNull();
    expect(await validateSession(alsoMine, user.id)).not.toBeNull();
    const events = await db().auditEvent.findMany({ where: { actorId: user.id } });
    expect(events).toMatchObject([{ type: "session.end", targetId: user.id, ip: "192.0.2.1", detail: { via: "account", sessionsEnded: 1 } }]);
  });

  it("signs out of every other session, keeps the current one, and audits how many ended", async () => {
    const user = await person();
    const current = await createSession(user.id, "BROWSER");
    await createSession(user.id, "BROWSER");
    await createSession(user.id, "REFRESH_TOKEN");
    expect(await endOtherSessions(user.id, current, CONTEXT)).toBe(2);
    expect((await db().session.findMany({ where: { userId: user.id } })).map((row) => row.id)).toEqual([current]);
    const events = await db().auditEvent.findMany({ where: { actorId: user.id } });
    expect(events).toMatchObject([{ type: "session.end_others", targetId: user.id, detail: { via: "account", sessionsEnded: 2 } }]);
  });
});
