import { describe, expect, it } from "vitest";
import { createDatabase } from "@/lib/db/client";
import { IN_MEMORY_PGLITE } from "@/lib/db/target";

describe("the embedded database", () => {
  it("keeps a small buffer cache (PostgreSQL's 128 MB default would all be resident from the start)", async () => {
    const database = createDatabase({ kind: "pglite", dataDir: IN_MEMORY_PGLITE });
    try {
      const [{ shared_buffers }] = await database.prisma.$queryRawUnsafe<{ shared_buffers: string }[]>("SHOW shared_buffers");
      expect(shared_buffers).toBe("16MB");
    } finally {
      await database.close();
    }
  });
});
