import { authenticatePerson } from "@/lib/http/authenticate";
import { apiRoute, json } from "@/lib/http/route";
import { listUserSessions } from "@/lib/services/sessions";

/** A person's sessions, not a program's: an API key (which no session stands behind) gets 403. */
export const GET = apiRoute(async (request) => {
  const { user, sessionId } = await authenticatePerson(request);
  return json({ sessions: await listUserSessions(user.id, sessionId) });
});
