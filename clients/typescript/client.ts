import createClient, { type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./latchkey-api";

/**
 * A typed client for Latchkey's JSON API: paths, bodies, answers and error bodies are checked against the OpenAPI
 * document (`latchkey-api.ts` is generated from it by `npm run api:types`). Copy this folder into a program that
 * calls Latchkey and `npm i openapi-fetch`.
 */
export function createLatchkeyClient(baseUrl: string, options: Omit<ClientOptions, "baseUrl"> = {}) {
  return createClient<paths>({ ...options, baseUrl });
}

export type LatchkeyClient = ReturnType<typeof createLatchkeyClient>;
export type User = components["schemas"]["User"];
export type ApiKey = components["schemas"]["ApiKey"];
export type Token = components["schemas"]["Token"];
export type ApiError = components["schemas"]["Error"];
