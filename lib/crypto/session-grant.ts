import { createHash, randomBytes } from "node:crypto";

/**
 * A one-time grant that hands an existing session row to a browser through Auth.js (the "impersonation" provider):
 * 256 bits from the OS CSPRNG, only its SHA-256 stored, cleared when used.
 */
const GRANT_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function createSessionGrant(): { grant: string; grantHash: string } {
  const grant = randomBytes(32).toString("base64url");
  return { grant, grantHash: hashSessionGrant(grant) };
}

export function hashSessionGrant(grant: string): string {
  return createHash("sha256").update(grant).digest("hex");
}

/** Anything else is refused before the database is asked. */
export function looksLikeSessionGrant(candidate: unknown): candidate is string {
  return typeof candidate === "string" && GRANT_SHAPE.test(candidate);
}
