import { json } from "@/lib/http/route";
import { isDatabaseReachable } from "@/lib/services/health";

export async function GET() {
  return (await isDatabaseReachable()) ? json({ status: "ok" }) : json({ status: "unavailable" }, 503);
}
