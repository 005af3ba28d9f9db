import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endSessionsForUser } from "@/lib/services/admin";
import { listOwnActivity } from "@/lib/services/own-activity";
import { issueTokenForCredentials } from "@/lib/services/tokens";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createAdminWithToken, createUserWithToken } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const ADMIN_CONTEXT = { ip: "198.51.100.7", clientKey: "198.51.100.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" };

describe("a person's own activity on /account", () => {
  it("shows the account's own events newest first, with address and device, and an admin's action without the admin's", async () => {
    const alice = await createUserWithToken("activity");
    const bob = await createUserWithToken("bystander");
    const admin = await createAdminWithToken("activityadmin");
    await expect(issueTokenForCredentials(alice.user.username, "not the password at all", TEST_CONTEXT)).rejects.toMatchObject({ status: 401 });
    await endSessionsForUser(admin.user.id, alice.user.id, ADMIN_CONTEXT);

    const activity = await listOwnActivity(alice.user.id);
    expect(activity.map((event) => event.type)).toEqual(["logout.everywhere", "login.failure", "login.success", "signup"]);
    const [byAdmin, failure] = activity;
    expect(byAdmin).toMatchObject({ byAdministrator: true, ip: null, device: null });
    expect(failure).toMatchObject({ byAdministrator: false, ip: TEST_CONTEXT.ip, device: "vitest", count: 1 });
    expect(JSON.stringify(activity)).not.toContain(admin.user.id);
    expect(JSON.stringify(activity)).not.toContain(bob.user.id);
    expect((await listOwnActivity(bob.user.id)).map((event) => event.type)).toEqual(["login.success", "signup"]);
  });

  it("shows only the newest events, and repeats merged into one with their count", async () => {
    const carol = await createUserWithToken("activitymany");
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(issueTokenForCredentials(carol.user.username, `wrong password number ${attempt}`, TEST_CONTEXT)).rejects.toMatchObject({ status: 401 });
    }
    await expect(issueTokenForCredentials(carol.user.username, PASSWORD, TEST_CONTEXT)).resolves.toBeTruthy();
    const activity = await listOwnActivity(carol.user.id, { limit: 2 });
    expect(activity).toHaveLength(2);
    expect(activity[0].type).toBe("login.success");
  });
});
