import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageTitle } from "@/components/ui/card";
import { env } from "@/lib/env";
import { outbox } from "@/lib/mail/outbox";

export const metadata: Metadata = { title: "Outbox (development)" };

const LINK = /https?:\/\/\S+/g;

/** Development only: the mail that would have been sent, since no SMTP server is configured. */
export default function OutboxPage() {
  if (env().NODE_ENV !== "development") notFound();
  const messages = outbox();
  return (
    <div className="space-y-6">
      <PageTitle>Outbox</PageTitle>
      <p className="text-sm text-slate-600">
        Mail from this development server (newest first, kept in memory). Set <code>SMTP_URL</code> to send real mail.
      </p>
      {messages.length === 0 ? <p className="text-sm text-slate-500">No mail yet.</p> : null}
      <ul className="space-y-4">
        {messages.map((message) => (
          <li key={message.id} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <p className="text-xs text-slate-500">
              <time dateTime={message.sentAt}>{message.sentAt.replace("T", " ").slice(0, 19)}</time> · to {message.to}
            </p>
            <h2 className="mt-1 font-semibold text-slate-900">{message.subject}</h2>
            <pre className="mt-3 whitespace-pre-wrap text-sm text-slate-700">{message.text}</pre>
            {[...new Set(message.text.match(LINK) ?? [])].map((url) => (
              <a key={url} href={url} className="mt-2 block text-sm font-semibold text-indigo-600 hover:underline">
                Open {new URL(url).pathname}
              </a>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
