// `npm run bench:export`: the server's memory while an admin downloads the users table as CSV, with 100,000 users.
// On a throwaway PostgreSQL cluster (or PGlite without PostgreSQL); prints the figures and writes JSON.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "@/lib/crypto/password";
import { createDatabase } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { parseDatabaseUrl } from "@/lib/db/target";
import { browserSessionCookie } from "../tests/support/servers";
import { startProductionServer } from "./lib/production-server";
import { seedUsers } from "./lib/seed-users";
import { rssMegabytes } from "./lib/system";
import { benchDatabase } from "./lib/bench-database";

const USERS = 100_000;
const PORT = 3264;
const ADMIN = { username: "exportadmin", email: "exportadmin@bench.example", password: "export benchmark passphrase" };
const OUTPUT = ".data/bench/export.json";

async function seed(url: string): Promise<void> {
  const database = createDatabase(parseDatabaseUrl(url));
  await applyMigrations(database);
  await seedUsers(database.prisma, USERS);
  await database.prisma.user.create({
    data: { username: ADMIN.username, email: ADMIN.email, role: "ADMIN", emailVerified: new Date(), passwordHash: await hashPassword(ADMIN.password) },
  });
  await database.close();
}

async function main() {
  if (!existsSync(".next/BUILD_ID")) execFileSync("npx", ["next", "build"], { stdio: "inherit" });
  const database = benchDatabase(55491);
  try {
    await seed(database.url);
    const server = await startProductionServer(PORT, { DATABASE_URL: database.url, AUTH_SECRET: randomBytes(32).toString("base64url"), LOG_LEVEL: "warn" }, { keepOutput: false });
    try {
      const pid = server.process.pid!;
      const cookie = await browserSessionCookie(server.url, ADMIN.email, ADMIN.password);
      if (!cookie) throw new Error("The admin could not sign in");
      // One small request first, so that the figure before is a server that has rendered a page.
      await fetch(`${server.url}/admin`, { headers: { cookie } }).then((response) => response.text());
      const before = rssMegabytes(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMegabytes(pid))), 50);
      const started = performance.now();
      const response = await fetch(`${server.url}/admin/users/export`, { headers: { cookie } });
      if (response.status !== 200 || !response.body) throw new Error(`The export answered ${response.status}`);
      let bytes = 0;
      let lines = 0;
      const reader = response.body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        bytes += read.value.byteLength;
        for (const byte of read.value) if (byte === 10) lines += 1;
      }
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const result = {
        date: new Date().toISOString(),
        database: database.description,
        rows: lines - 1,
        megabytes: +(bytes / 1e6).toFixed(1),
        seconds: +seconds.toFixed(1),
        rssBeforeMegabytes: before,
        rssPeakMegabytes: peak,
        rssAfterMegabytes: rssMegabytes(pid),
      };
      console.table([result]);
      mkdirSync(path.dirname(OUTPUT), { recursive: true });
      writeFileSync(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`Wrote ${OUTPUT}`);
    } finally {
      await server.stop();
    }
  } finally {
    database.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
