import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteKey } from "@/app/api/v1/api-keys/[id]/route";
import { GET as listKeys, POST as createKey } from "@/app/api/v1/api-keys/route";
import { POST as changePassword } from "@/app/api/v1/auth/password/change/route";
import { GET as me } from "@/app/api/v1/me/route";
import { DELETE as deleteUser, PATCH as patchUser } from "@/app/api/v1/admin/users/[id]/route";
import { GET as listUsers } from "@/app/api/v1/admin/users/route";
import { POST as introspect } from "@/app/api/v1/auth/introspect/route";
import { POST as revokeAll } from "@/app/api/v1/auth/revoke/route";
import { GET as hello } from "@/app/api/examples/hello/route";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, createAdminWithToken, createUserWithToken, idContext, noContext, request } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const create = (bearer: string, json: unknown) => createKey(request("/api/v1/api-keys", { method: "POST", token: bearer, json }), noContext);
const list = (bearer: string) => listKeys(request("/api/v1/api-keys", { token: bearer }), noContext);
const revoke = (bearer: string, id: string) => deleteKey(request(`/api/v1/api-keys/${id}`, { method: "DELETE", token: bearer }), idContext(id));
const meWith = (bearer: string) => me(request("/api/v1/me", { token: bearer }), noContext);

/** A refusal's status, code, and the scope its WWW-Authenticate header asks for. */
async function refusal(response: Response) {
  const scope = /error="insufficient_scope", scope="([^"]+)"/.exec(response.headers.get("www-authenticate") ?? "");
  return { status: response.status, code: (await response.json()).error.code, scope: scope?.[1] ?? null };
}

async function newKey(bearer: string, json: unknown = { name: "ci" }) {
  const response = await create(bearer, json);
  expect(response.status).toBe(201);
  return (await response.json()) as { apiKey: { id: string; name: string; prefix: string; scopes: string[]; lastUsedAt: string | null }; key: string };
}

describe("API keys", () => {
  it("are created once-visible, stored only as a hash, listed without secrets, and work as a bearer", async () => {
    const alice = await createUserWithToken("keyholder");
    const { apiKey, key } = await newKey(alice.token, { name: "deploy bot", expiresInDays: 30 });
    expect(key).toMatch(/^lk_[0-9A-Za-z]{43}$/);
    expect(apiKey).toEqual({
      id: expect.any(String),
      name: "deploy bot",
      prefix: key.slice(0, 11),
      scopes: ["profile:read"],
      createdAt: expect.any(String),
      lastUsedAt: null,
      expiresAt: expect.any(String),
    });
    expect((await database.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).expiresAt!.getTime()).toBeGreaterThan(
      Date.now() + 29 * 24 * 3600 * 1000,
    );
    const stored = await database.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(JSON.stringify(stored)).not.toContain(key.slice(3));

    const listed = await (await list(alice.token)).json();
    expect(listed.apiKeys).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(key.slice(11));
    expect(JSON.stringify(listed)).not.toContain(stored.keyHash);

    const response = await meWith(key);
    expect(response.status).toBe(200);
    expect((await response.json()).user.id).toBe(alice.user.id);
  });

  it("record use at most once a minute: a read per request, not a write", async () => {
    const bob = await createUserWithToken("frequent");
    const { apiKey, key } = await newKey(bob.token);
    await meWith(key);
    const first = (await database.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt;
    expect(first).not.toBeNull();
    await meWith(key);
    await meWith(key);
    expect((await database.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).toEqual(first);
    await database.prisma.apiKey.update({ where: { id: apiKey.id }, data: { lastUsedAt: new Date(Date.now() - 120_000) } });
    await meWith(key);
    expect((await database.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt!.getTime()).toBeGreaterThan(
      first!.getTime(),
    );
  });

  it("answer 401 when revoked, expired, or their owner is locked or deleted", async () => {
    const carol = await createUserWithToken("expiring");
    const revoked = await newKey(carol.token, { name: "revoked" });
    expect((await revoke(carol.token, revoked.apiKey.id)).status).toBe(204);
    expect((await meWith(revoked.key)).status).toBe(401);

    const expired = await newKey(carol.token, { name: "expired" });
    await database.prisma.apiKey.update({ where: { id: expired.apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const refused = await meWith(expired.key);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);

    const locked = await newKey(carol.token, { name: "locked" });
    await database.prisma.user.update({ where: { id: carol.user.id }, data: { lockedAt: new Date() } });
    expect((await meWith(locked.key)).status).toBe(401);
    await database.prisma.user.update({ where: { id: carol.user.id }, data: { lockedAt: null } });
    expect((await meWith(locked.key)).status).toBe(200);
    await database.prisma.user.delete({ where: { id: carol.user.id } });
    expect((await meWith(locked.key)).status).toBe(401);
  });

  it("can't add or remove keys or change the password, even with keys:manage: that takes a person's session or access token", async () => {
    const dave = await createUserWithToken("escalate");
    const { key } = await newKey(dave.token);
    expect(await refusal(await create(key, { name: "child" }))).toEqual({ status: 403, code: "insufficient_scope", scope: "keys:manage" });
    expect(await refusal(await list(key))).toEqual({ status: 403, code: "insufficient_scope", scope: "keys:manage" });
    const manager = await newKey(dave.token, { name: "manager", scopes: ["keys:manage"] });
    expect((await list(manager.key)).status).toBe(200);
    expect(await refusal(await create(manager.key, { name: "child", scopes: ["keys:manage"] }))).toEqual({ status: 403, code: "forbidden", scope: null });
    expect(await refusal(await revoke(manager.key, manager.apiKey.id))).toEqual({ status: 403, code: "forbidden", scope: null });
    expect(await database.prisma.apiKey.count({ where: { userId: dave.user.id } })).toBe(2);
    const change = await changePassword(
      request("/api/v1/auth/password/change", { method: "POST", token: key, json: { currentPassword: PASSWORD, newPassword: "a different passphrase now" } }),
      noContext,
    );
    expect(change.status).toBe(403);
  });

  it("belong to their owner only, and validate input", async () => {
    const erin = await createUserWithToken("owner");
    const frank = await createUserWithToken("intruder");
    const { apiKey, key } = await newKey(erin.token);
    expect((await revoke(frank.token, apiKey.id)).status).toBe(404);
    expect((await revoke(erin.token, "does-not-exist")).status).toBe(404);
    expect((await meWith(key)).status).toBe(200);
    for (const body of [{}, { name: "" }, { name: "x".repeat(65) }, { name: "ok", expiresInDays: 0 }, { name: "ok", userId: frank.user.id }]) {
      const response = await create(erin.token, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("validation_error");
    }
    expect((await list(frank.token)).status).toBe(200);
    expect((await (await list(frank.token)).json()).apiKeys).toEqual([]);
  });
});

describe("API key scopes", () => {
  it("default to profile:read, come back in canonical order without repeats, and show in the list", async () => {
    const gina = await createUserWithToken("scoped");
    expect((await newKey(gina.token)).apiKey.scopes).toEqual(["profile:read"]);
    const chosen = await newKey(gina.token, { name: "many", scopes: ["tokens:introspect", "profile:read", "tokens:introspect", "keys:manage"] });
    expect(chosen.apiKey.scopes).toEqual(["profile:read", "keys:manage", "tokens:introspect"]);
    const listed = (await (await list(gina.token)).json()).apiKeys as { name: string; scopes: string[]; expiresAt: string | null }[];
    expect(listed.find((key) => key.name === "many")).toMatchObject({ scopes: ["profile:read", "keys:manage", "tokens:introspect"], expiresAt: null });
  });

  it("are only what the owner's role allows; unknown or empty scopes are a validation error", async () => {
    const hank = await createUserWithToken("plain");
    for (const scopes of [["admin:users:read"], ["profile:read", "admin:users:write"], ["admin"], ["PROFILE:READ"], [], "profile:read"]) {
      const response = await create(hank.token, { name: "too much", scopes });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error.code).toBe("validation_error");
      const fields = Object.keys(body.error.fields);
      expect(fields.length > 0 && fields.every((field) => /^scopes(\.\d+)?$/.test(field))).toBe(true);
    }
    expect(await database.prisma.apiKey.count({ where: { userId: hank.user.id } })).toBe(0);
    const admin = await createAdminWithToken("scoper");
    const { apiKey } = await newKey(admin.token, { name: "ops", scopes: ["admin:users:read", "admin:users:write"] });
    expect(apiKey.scopes).toEqual(["admin:users:read", "admin:users:write"]);
  });

  it("limit each route to keys holding its scope (403 insufficient_scope naming it); tokens act with the user's full rights", async () => {
    const admin = await createAdminWithToken("routes");
    const target = await createUserWithToken("target");
    const onlyProfile = await newKey(admin.token, { name: "profile", scopes: ["profile:read"] });
    const onlyRead = await newKey(admin.token, { name: "read", scopes: ["admin:users:read"] });
    const onlyWrite = await newKey(admin.token, { name: "write", scopes: ["admin:users:write"] });
    const everything = await newKey(admin.token, {
      name: "all",
      scopes: ["profile:read", "keys:manage", "admin:users:read", "admin:users:write", "tokens:introspect"],
    });

    const routes = {
      me: (bearer: string) => meWith(bearer),
      hello: (bearer: string) => hello(request("/api/examples/hello", { token: bearer }), noContext),
      listKeys: (bearer: string) => list(bearer),
      listUsers: (bearer: string) => listUsers(request("/api/v1/admin/users", { token: bearer }), noContext),
      patchUser: (bearer: string) =>
        patchUser(request(`/api/v1/admin/users/${target.user.id}`, { method: "PATCH", token: bearer, json: { locked: false } }), idContext(target.user.id)),
      introspect: (bearer: string) =>
        introspect(request("/api/v1/auth/introspect", { method: "POST", token: bearer, json: { token: "nothing" } }), noContext),
    };
    const needs: Record<keyof typeof routes, string> = {
      me: "profile:read",
      hello: "profile:read",
      listKeys: "keys:manage",
      listUsers: "admin:users:read",
      patchUser: "admin:users:write",
      introspect: "tokens:introspect",
    };
    const holders = { "profile:read": onlyProfile, "admin:users:read": onlyRead, "admin:users:write": onlyWrite } as Record<string, { key: string }>;
    for (const [name, call] of Object.entries(routes) as [keyof typeof routes, (bearer: string) => Promise<Response>][]) {
      const lacking = needs[name] === "profile:read" ? onlyRead : onlyProfile;
      expect({ name, ...(await refusal(await call(lacking.key))) }).toEqual({ name, status: 403, code: "insufficient_scope", scope: needs[name] });
      expect({ name, status: (await call(everything.key)).status }).toEqual({ name, status: 200 });
      if (holders[needs[name]]) expect({ name, status: (await call(holders[needs[name]].key)).status }).toEqual({ name, status: 200 });
      if (name !== "introspect") expect({ name, status: (await call(admin.token)).status }).toEqual({ name, status: 200 });
    }
    const removal = (bearer: string) =>
      deleteUser(request(`/api/v1/admin/users/${target.user.id}`, { method: "DELETE", token: bearer }), idContext(target.user.id));
    expect(await refusal(await removal(onlyRead.key))).toEqual({ status: 403, code: "insufficient_scope", scope: "admin:users:write" });
    expect(await refusal(await revoke(onlyProfile.key, onlyProfile.apiKey.id))).toEqual({ status: 403, code: "insufficient_scope", scope: "keys:manage" });
    expect((await removal(onlyWrite.key)).status).toBe(204);
  });

  it("never outlast the owner's role: a demoted admin's admin-scoped key opens no admin route", async () => {
    const admin = await createAdminWithToken("demoted");
    const { key } = await newKey(admin.token, { name: "ops", scopes: ["profile:read", "admin:users:read"] });
    await database.prisma.user.update({ where: { id: admin.user.id }, data: { role: "USER" } });
    expect((await listUsers(request("/api/v1/admin/users", { token: key }), noContext)).status).toBe(403);
    expect((await meWith(key)).status).toBe(200);
  });

  it("let any key end its user's sessions (revoking only takes away)", async () => {
    const ivan = await createUserWithToken("panic");
    const { key } = await newKey(ivan.token, { name: "introspector", scopes: ["tokens:introspect"] });
    expect((await revokeAll(request("/api/v1/auth/revoke", { method: "POST", token: key }), noContext)).status).toBe(204);
    expect((await meWith(ivan.token)).status).toBe(401);
  });

  it("are given to keys made before scopes by the migration: what they could do then, nothing new", async () => {
    const admin = await createAdminWithToken("legacy");
    const user = await createUserWithToken("legacy");
    const adminKey = await newKey(admin.token, { name: "old" });
    const userKey = await newKey(user.token, { name: "old" });
    await database.prisma.apiKey.updateMany({ where: { id: { in: [adminKey.apiKey.id, userKey.apiKey.id] } }, data: { scopes: ["profile:read"] } });
    const migration = await readFile(join(process.cwd(), "prisma/migrations/20261202171318_api_key_scopes/migration.sql"), "utf8");
    await database.prisma.$executeRawUnsafe(migration.slice(migration.indexOf("UPDATE")));
    const scopesOf = async (id: string) => (await database.prisma.apiKey.findUniqueOrThrow({ where: { id } })).scopes;
    expect(await scopesOf(adminKey.apiKey.id)).toEqual(["profile:read", "admin:users:read", "admin:users:write"]);
    expect(await scopesOf(userKey.apiKey.id)).toEqual(["profile:read"]);
  });
});
