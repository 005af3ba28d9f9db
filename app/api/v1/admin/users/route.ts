import { authenticateRole } from "@/lib/http/authenticate";
import { parseWith } from "@/lib/http/body";
import { apiRoute, json } from "@/lib/http/route";
import { listUsers } from "@/lib/services/admin";
import { listUsersQuerySchema } from "@/lib/validations/admin";

export const GET = apiRoute(async (request) => {
  await authenticateRole(request, "ADMIN", "admin:users:read");
  const query = parseWith(listUsersQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return json(await listUsers(query));
});
