import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteKey } from "@/app/api/v1/api-keys/[id]/route";
import { GET as listKeys, POST as createKey } from "@/app/api/v1/api-keys/route";
import { POST as changePassword } from "@/app/api/v1/auth/password/change/route";
import { GET as me } from "@/app/api/v1/me/route";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, createUserWithToken, idContext, noContext, request } from "../support/http";

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

async function newKey(bearer: string, json: unknown = { name: "ci" }) {
  const response = await create(bearer, json);
  expect(response.status).toBe(201);
  return (await response.json()) as { apiKey: { id: string; name: string; prefix: string; lastUsedAt: string | null }; key: string };
}

describe("API keys", () => {
  it("are created once-visible, stored only as a hash, listed without secrets, and work as a bearer", async () => {
    const alice = await createUserWithToken("keyholder");
    const { apiKey, key } = await newKey(alice.token, { name: "deploy bot", expiresInDays: 30 });
    expect(key).toMatch(/^lk_[0-9A-Za-z]{43}$/);
    expect(apiKey).toEqual({ id: expect.any(String), name: "deploy bot", prefix: key.slice(0, 11), createdAt: expect.any(String), lastUsedAt: null });
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

  it("can't manage keys or change the password: that takes a person's session or access token", async () => {
    const dave = await createUserWithToken("escalate");
    const { key } = await newKey(dave.token);
    expect((await create(key, { name: "child" })).status).toBe(403);
    expect((await list(key)).status).toBe(403);
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
