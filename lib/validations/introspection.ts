import { z } from "zod";

/**
 * RFC 7662 §2.1: the token to check, and an optional hint of its kind, which we may ignore (§2.1: the server
 * looks the token up by every kind it knows anyway). JSON and the form encoding read the same fields.
 */
export const introspectionRequestSchema = z.strictObject({
  token: z.string({ error: "token is required" }).min(1, "token is required").max(8192, "token is too long"),
  token_type_hint: z.string().max(64).optional(),
});
export type IntrospectionRequest = z.infer<typeof introspectionRequestSchema>;
