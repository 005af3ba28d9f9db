import { afterAll, beforeAll } from "vitest";
import { drainMail } from "@/lib/services/mail-queue";
import { freshDatabase, type TestDatabase } from "./database";
import { startSmtpServer, type TestSmtpServer } from "./smtp";

export type MailBed = { database: TestDatabase; smtp: TestSmtpServer };

/** For one test file: a fresh database and a real SMTP server; what is queued is delivered before both close. */
export function databaseAndSmtpForFile(): MailBed {
  const bed = {} as MailBed;
  beforeAll(async () => {
    bed.database = await freshDatabase();
    bed.smtp = await startSmtpServer();
  });
  afterAll(async () => {
    bed.smtp.failNext(0);
    await drainMail();
    await bed.smtp.close();
    await bed.database.dispose();
  });
  return bed;
}
