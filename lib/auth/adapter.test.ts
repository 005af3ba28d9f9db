import { describe, expect, it } from "vitest";
import { usernameBase } from "./adapter";

describe("usernames for federated accounts", () => {
  it("come from the email's local part (else the name), in the username alphabet and length", () => {
    expect(usernameBase({ email: "Ada.Lovelace@example.com", name: "Ada" })).toBe("ada_lovelace");
    expect(usernameBase({ email: "", name: "Grace Hopper" })).toBe("grace_hopper");
    expect(usernameBase({ email: "zoë+tag@example.com", name: null })).toBe("zoe_tag");
    expect(usernameBase({ email: "x@example.com", name: null })).toBe("user_x");
    expect(usernameBase({ email: "__@example.com", name: null })).toBe("user");
    const long = usernameBase({ email: `${"a".repeat(60)}@example.com`, name: null });
    expect(long.length).toBeLessThanOrEqual(27);
    for (const name of ["ada_lovelace", "grace_hopper", "zoe_tag", "user_x", "user", long]) expect(name).toMatch(/^[a-z0-9_-]{3,32}$/);
  });
});
