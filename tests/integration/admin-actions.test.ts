import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  changeRoleAction,
  clearThrottleAction,
  deleteUserAction,
  deleteUserConfirmedAction,
  endSessionsAction,
  resetTwoFactorAction,
  sendPasswordResetAction,
  setLockedAction,
} from "@/app/admin/actions";
import { drainMail } from "@/lib/services/mail-queue";
import { userThrottleKey } from "@/lib/security/login-throttle";
import { createSession } from "@/lib/services/sessions";
import { freshDatabase, type TestDatabase } from "../support/database";
import { TEST_CONTEXT, createUsersDirectly } from "../support/http";

// The admin pages' server actions, replayed by a signed-in person who is not an admin (an action's id and its form
// fields are all a browser needs to post one). `auth()` answers with that person's session.
const signedIn = vi.hoisted(() => ({ session: null as unknown }));
vi.mock("@/auth", () => ({
  auth: async () => signedIn.session,
  signIn: async () => {},
  signOut: async () => {},
  handlers: {},
}));

let database: TestDatabase;
beforeAll(async () => {
  // next.config.js turns on authInterrupts for the app; forbidden() reads the flag Next sets from it.
  vi.stubEnv("__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS", "true");
  database = await freshDatabase();
});
afterAll(async () => {
  await drainMail();
  await database.dispose();
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

/** What Next's forbidden() throws: the 403 page, nothing done. */
const FORBIDDEN = expect.objectContaining({ digest: expect.stringMatching(/403/) });

describe("admin actions replayed by a non-admin", () => {
  it("are refused with 403 before anything changes", async () => {
    const [person, target] = await createUsersDirectly(2, "replay");
    const sessionId = await createSession(person.id, "BROWSER", TEST_CONTEXT);
    const user = await database.prisma.user.findUniqueOrThrow({ where: { id: person.id }, select: { id: true, username: true, email: true, role: true } });
    signedIn.session = { user, sessionId, expires: new Date(Date.now() + 60_000).toISOString() };
    // The target as an admin would find it: a session, a back-off, 2FA on.
    await createSession(target.id, "BROWSER", TEST_CONTEXT);
    await database.prisma.loginThrottle.create({ data: { key: userThrottleKey(target.id), failures: 7, blockedUntil: new Date(Date.now() + 600_000), updatedAt: new Date() } });
    await database.prisma.user.update({ where: { id: target.id }, data: { totpSecret: "JBSWY3DPEHPK3PXP", totpEnabledAt: new Date() } });
    const snapshot = async () => ({
      user: await database.prisma.user.findUnique({ where: { id: target.id }, select: { role: true, lockedAt: true, totpSecret: true, totpEnabledAt: true } }),
      sessions: await database.prisma.session.count({ where: { userId: target.id } }),
      throttle: await database.prisma.loginThrottle.count({ where: { key: userThrottleKey(target.id) } }),
      resetLinks: await database.prisma.emailToken.count({ where: { userId: target.id } }),
      audit: await database.prisma.auditEvent.count({ where: { targetId: target.id } }),
    });
    const before = await snapshot();

    const userId = target.id;
    const replays: [string, () => Promise<void>][] = [
      ["role", () => changeRoleAction(form({ userId, role: "ADMIN" }))],
      ["self-promotion", () => changeRoleAction(form({ userId: person.id, role: "ADMIN" }))],
      ["lock", () => setLockedAction(form({ userId, locked: "true" }))],
      ["clear throttle", () => clearThrottleAction(form({ userId }))],
      ["end sessions", () => endSessionsAction(form({ userId }))],
      ["send reset", () => sendPasswordResetAction(form({ userId }))],
      ["reset 2FA", () => resetTwoFactorAction(form({ userId }))],
      ["delete", () => deleteUserAction(form({ userId }))],
      ["delete (confirmed)", () => deleteUserConfirmedAction(form({ userId, confirmation: target.username }))],
    ];
    for (const [name, replay] of replays) await expect(replay(), name).rejects.toEqual(FORBIDDEN);
    await drainMail();
    expect(await snapshot()).toEqual(before);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: person.id } })).role).toBe("USER");
  });
});
