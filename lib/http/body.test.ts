import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { MAX_BODY_BYTES, bodyKind, parseFormText, readBodyText } from "./body";

const post = (body: string, type?: string) =>
  new Request("http://localhost/x", { method: "POST", body, headers: type ? { "content-type": type } : {} });

describe("request bodies", () => {
  it("accepts JSON with a charset and refuses other types with 415", () => {
    expect(bodyKind(post("{}", "application/json; charset=utf-8"))).toBe("json");
    expect(() => bodyKind(post("{}", "text/plain"))).toThrow(expect.objectContaining({ status: 415 }));
    expect(() => bodyKind(post("{}"))).toThrow(ApiError);
    expect(bodyKind(post("a=b", "application/x-www-form-urlencoded"), ["json", "form"])).toBe("form");
  });

  it("reads up to 16 KB and refuses more with 413", async () => {
    expect(await readBodyText(post("x".repeat(MAX_BODY_BYTES)))).toHaveLength(MAX_BODY_BYTES);
    await expect(readBodyText(post("x".repeat(MAX_BODY_BYTES + 1)))).rejects.toMatchObject({ status: 413 });
  });

  it("refuses repeated form fields", () => {
    expect(parseFormText("a=1&b=2")).toEqual({ a: "1", b: "2" });
    expect(() => parseFormText("a=1&a=2")).toThrow(expect.objectContaining({ status: 400 }));
  });
});
