import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteSession } from "@/app/api/v1/sessions/[id]/route";
import { GET as listSessions } from "@/app/api/v1/sessions/route";
import { GET as me } from "@/app/api/v1/me/route";
import { createUserApiKey } from "@/lib/services/api-keys";
import { createSession, endOtherSessions } from "@/lib/services/sessions";
import { issueTokenForCredentials } from "@/lib/services/tokens";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createUserWithToken, idContext, noContext, request } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

type Listed = { sessions: { id: string; kind: string; device: string; ip: string | null; createdAt: string; lastUsedAt: string; current: boolean }[] };

const list = (bearer: string) => listSessions(request("/api/v1/sessions", { token: bearer }), noContext);
const end = (bearer: string, id: string) => deleteSession(request(`/api/v1/sessions/${id}`, { method: "DELETE", token: bearer }), idContext(id));
const meWith = (bearer: string) => me(request("/api/v1/me", { token: bearer }), noContext);
const CHROME_ON_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

async function sessionIdOf(token: string): Promise<string> {
  const listed = (await (await list(token)).json()) as Listed;
  return listed.sessions.find((session) => session.current)!.id;
}

describe("GET /api/v1/sessions", () => {
  it("lists the caller's browser sessions and access tokens with device, address and times, the caller's marked", async () => {
    const alice = await createUserWithToken("lister");
    const browserId = await createSession(alice.user.id, "BROWSER", { ...TEST_CONTEXT, ip: "198.51.100.7", userAgent: CHROME_ON_MAC });
    const response = await list(alice.token);
    expect(response.status).toBe(200);
    const { sessions } = (await response.json()) as Listed;
    expect(sessions).toHaveLength(2);
    expect(sessions.find((session) => session.id === browserId)).toEqual({
      id: browserId,
      kind: "browser",
      device: "Chrome on macOS",
      ip: "198.51.100.7",
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      current: false,
    });
    expect(sessions.find((session) => session.current)).toMatchObject({ kind: "api", device: "vitest", ip: TEST_CONTEXT.ip });
  });

  it("leaves out other users' sessions, expired ones and browsers idle past the timeout", async () => {
    const bob = await createUserWithToken("quiet");
    const other = await createUserWithToken("neighbour");
    const expired = await createSession(bob.user.id, "BROWSER", TEST_CONTEXT);
    await database.prisma.session.update({ where: { id: expired }, data: { expires: new Date(Date.now() - 1000) } });
    const idle = await createSession(bob.user.id, "BROWSER", TEST_CONTEXT);
    await database.prisma.session.update({ where: { id: idle }, data: { lastSeenAt: new Date(Date.now() - 40 * 24 * 3600 * 1000) } });
    const ids = ((await (await list(bob.token)).json()) as Listed).sessions.map((session) => session.id);
    expect(ids).toEqual([await sessionIdOf(bob.token)]);
    expect(ids).not.toContain(await sessionIdOf(other.token));
  });

  it("refuses API keys (403) and strangers (401)", async () => {
    const carol = await createUserWithToken("keyed");
    const { key } = await createUserApiKey(carol.user.id, { name: "bot" }, TEST_CONTEXT);
    expect((await list(key)).status).toBe(403);
    expect((await listSessions(request("/api/v1/sessions"), noContext)).status).toBe(401);
  });
});

describe("DELETE /api/v1/sessions/{id}", () => {
  it("ends that session: its token is refused on the next request, the caller's own stays", async () => {
    const dave = await createUserWithToken("ender");
    const { access_token: laptop } = await issueTokenForCredentials(dave.user.username, PASSWORD, TEST_CONTEXT);
    expect((await meWith(laptop)).status).toBe(200);
    expect((await end(dave.token, await sessionIdOf(laptop))).status).toBe(204);
    expect((await meWith(laptop)).status).toBe(401);
    expect((await meWith(dave.token)).status).toBe(200);
    expect(await database.prisma.auditEvent.count({ where: { type: "session.end", targetId: dave.user.id } })).toBe(1);
  });

  it("answers 404 for another user's session and for an unknown id, and ends nothing", async () => {
    const erin = await createUserWithToken("owner");
    const mallory = await createUserWithToken("intruder");
    const erinsSession = await sessionIdOf(erin.token);
    expect((await end(mallory.token, erinsSession)).status).toBe(404);
    expect((await end(mallory.token, "nosuchsession")).status).toBe(404);
    expect((await end(mallory.token, "bad id!")).status).toBe(404);
    expect((await meWith(erin.token)).status).toBe(200);
  });

  it("may end the caller's own session, which then stops working", async () => {
    const frank = await createUserWithToken("selfender");
    expect((await end(frank.token, await sessionIdOf(frank.token))).status).toBe(204);
    expect((await meWith(frank.token)).status).toBe(401);
  });
});

describe("Sign out of all other sessions", () => {
  it("ends every other session and token of the user, keeps the caller's and the API keys, and touches no one else", async () => {
    const gina = await createUserWithToken("others");
    const bystander = await createUserWithToken("bystander");
    const { access_token: other } = await issueTokenForCredentials(gina.user.username, PASSWORD, TEST_CONTEXT);
    const browser = await createSession(gina.user.id, "BROWSER", TEST_CONTEXT);
    const { key } = await createUserApiKey(gina.user.id, { name: "stays" }, TEST_CONTEXT);
    const current = await sessionIdOf(gina.token);
    expect(await endOtherSessions(gina.user.id, current, TEST_CONTEXT)).toBe(2);
    expect((await meWith(other)).status).toBe(401);
    expect(await database.prisma.session.count({ where: { id: browser } })).toBe(0);
    expect((await meWith(gina.token)).status).toBe(200);
    expect((await meWith(key)).status).toBe(200);
    expect((await meWith(bystander.token)).status).toBe(200);
  });
});
