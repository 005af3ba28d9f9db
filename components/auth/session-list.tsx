import { endOtherSessionsAction, endSessionAction } from "@/app/account/actions";
import { Button } from "@/components/ui/button";
import { RecordAction } from "@/components/ui/record-action";
import type { SessionView } from "@/lib/services/sessions";
import { Timestamp } from "@/components/ui/timestamp";

const KIND_LABEL: Record<SessionView["kind"], string> = { browser: "Browser", api: "API access token" };

/** "Where you're signed in": plain forms, so it works without JavaScript. */
export function SessionList({ sessions }: { sessions: SessionView[] }) {
  return (
    <div className="mb-6">
      <table className="mb-4 min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Where you&apos;re signed in</caption>
        <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-3">Device</th>
            <th scope="col" className="py-2 pr-3">Address</th>
            <th scope="col" className="py-2 pr-3">Started</th>
            <th scope="col" className="py-2 pr-3">Last used</th>
            <th scope="col" className="py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sessions.map((session) => (
            <tr key={session.id}>
              <td className="py-2 pr-3">
                <span className="font-medium text-slate-900">{session.device}</span>{" "}
                <span className="text-xs text-slate-500">{KIND_LABEL[session.kind]}</span>
                {session.current ? <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-800">This device</span> : null}
              </td>
              <td className="py-2 pr-3 text-slate-600">{session.ip ?? "Unknown"}</td>
              <td className="py-2 pr-3 text-slate-600"><Timestamp value={session.createdAt} /></td>
              <td className="py-2 pr-3 text-slate-600"><Timestamp value={session.lastUsedAt} /></td>
              <td className="py-2 text-right">
                <RecordAction action={endSessionAction} id={session.id}>
                  Sign out
                </RecordAction>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form action={endOtherSessionsAction}>
        <Button type="submit" variant="secondary">
          Sign out of all other sessions
        </Button>
      </form>
    </div>
  );
}
