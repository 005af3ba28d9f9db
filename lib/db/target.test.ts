import { describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "./target";

describe("parseDatabaseUrl", () => {
  it("defaults to the embedded database folder", () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ kind: "pglite", dataDir: "./.data/pglite" });
  });

  it("reads a PGlite folder and the in-memory form", () => {
    expect(parseDatabaseUrl("pglite:/tmp/x")).toEqual({ kind: "pglite", dataDir: "/tmp/x" });
    expect(parseDatabaseUrl("pglite:memory")).toEqual({ kind: "pglite", dataDir: "memory://" });
  });

  it("takes both PostgreSQL schemes", () => {
    expect(parseDatabaseUrl("postgres://u@h/db").kind).toBe("postgres");
    expect(parseDatabaseUrl("postgresql://u@h/db").kind).toBe("postgres");
  });

  it("refuses anything else", () => {
    expect(() => parseDatabaseUrl("mysql://u@h/db")).toThrow(/DATABASE_URL/);
  });
});
