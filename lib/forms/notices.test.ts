import { describe, expect, it } from "vitest";
import { CATALOGUES } from "@/i18n/locales";
import { ERROR_CODES } from "@/lib/errors";
import { NOTICES, noticeFor, withNotice } from "./notices";

describe("notices", () => {
  it("gives refusals the error tone and successes the success tone", () => {
    expect(noticeFor("last-sign-in-method")?.tone).toBe("error");
    expect(noticeFor("passkey-not-found")?.tone).toBe("error");
    expect(noticeFor("unavailable")?.tone).toBe("error");
    expect(noticeFor("passkey-removed")?.tone).toBe("success");
    expect(noticeFor("signed-out-everywhere")?.tone).toBe("info");
  });

  it("shows only its own texts, never what the query string says", () => {
    expect(noticeFor("<script>")).toBeUndefined();
    expect(noticeFor("toString")).toBeUndefined();
    expect(noticeFor(["password-changed"])).toBeUndefined();
    expect(noticeFor(undefined)).toBeUndefined();
    expect(noticeFor("password-changed")).toEqual({ key: "password-changed", ...NOTICES["password-changed"] });
  });

  it("adds the notice to a path and keeps the path's own query", () => {
    expect(withNotice("/account", "passkey-removed")).toBe("/account?notice=passkey-removed");
    expect(withNotice("/admin/users?page=2&notice=old", "user-locked")).toBe("/admin/users?page=2&notice=user-locked");
  });
});

describe("words for every code", () => {
  // The catalogues have the same keys (i18n/catalogues.test.ts), so the English one speaks for all of them.
  it("has a catalogue entry for every notice and every error code", () => {
    expect(Object.keys(NOTICES).filter((key) => !Object.hasOwn(CATALOGUES.en.notices, key))).toEqual([]);
    expect(Object.keys(ERROR_CODES).filter((code) => !Object.hasOwn(CATALOGUES.en.errors, code))).toEqual([]);
  });
});
