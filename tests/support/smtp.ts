import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { to: string; subject: string; text: string; html: string; parsed: ParsedMail };

export type TestSmtpServer = {
  url: string;
  mails: ReceivedMail[];
  /**
   * Refuse the next n messages (a flaky mail server); with a recipient, only messages to them, so mail still in
   * flight from an earlier test can't use the refusals up.
   */
  failNext(count: number, recipient?: string): void;
  /** Messages offered so far, or offered to one recipient. */
  attempts(recipient?: string): number;
  waitForMail(to: string, subject: RegExp, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
};

/** A real SMTP server in the test process: what it receives is exactly what a user's inbox would get. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  let failures = 0;
  let failingRecipient: string | undefined;
  const offered: string[][] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((recipient) => recipient.address);
      offered.push(recipients);
      // Decided when the message is offered, not when it ends, so a refusal goes to the message that was counted.
      const refuse = failures > 0 && (failingRecipient === undefined || recipients.includes(failingRecipient));
      if (refuse) failures -= 1;
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        if (refuse) {
          return callback(Object.assign(new Error("Mailbox temporarily unavailable"), { responseCode: 451 }));
        }
        const parsed = await simpleParser(Buffer.concat(chunks));
        for (const recipient of session.envelope.rcptTo) {
          mails.push({
            to: recipient.address,
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            parsed,
          });
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    failNext(count, recipient) {
      failures = count;
      failingRecipient = recipient;
    },
    attempts: (recipient) => (recipient === undefined ? offered.length : offered.filter((to) => to.includes(recipient)).length),
    async waitForMail(to, subject, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = mails.findLast((mail) => mail.to === to && subject.test(mail.subject));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms (got: ${mails.map((m) => `${m.to}: ${m.subject}`).join("; ")})`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The token of the first link to `path` in a mail's text part. */
export function tokenFrom(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`${path.replace(/\//g, "\\/")}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1];
}
