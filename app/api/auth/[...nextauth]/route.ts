import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { forgetLinkIntent, screenProviderCallback } from "@/lib/auth/federated-callback";

/** Identity providers' callbacks are screened first: only a valid linking intent lets one link (see the module). */
async function handle(incoming: NextRequest, method: "GET" | "POST"): Promise<Response> {
  const { request, federatedCallback } = await screenProviderCallback(incoming);
  const response = await handlers[method](request);
  return federatedCallback ? forgetLinkIntent(response) : response;
}

export const GET = (request: NextRequest) => handle(request, "GET");
export const POST = (request: NextRequest) => handle(request, "POST");
