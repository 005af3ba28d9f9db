import { isSealed, openSecret, sealSecret } from "@/lib/crypto/secret-box";

/** The authenticated-data label of sealed TOTP keys: a value sealed for anything else never opens as one. */
export const TOTP_SECRET_PURPOSE = "totp-secret";

/** What `User.totpSecret` holds: the base32 key, sealed, so a copy of the database alone yields no codes. */
export function sealTotpSecret(secret: string): string {
  return sealSecret(secret, TOTP_SECRET_PURPOSE);
}

/**
 * The base32 key from a stored value. Rows written before keys were sealed hold the base32 text itself; they stay
 * readable (an instance of the previous release may still write them during a rolling upgrade) until the start-up
 * pass or `npm run keys:reencrypt` seals them.
 */
export function openTotpSecret(stored: string): string {
  return isSealed(stored) ? openSecret(stored, TOTP_SECRET_PURPOSE) : stored;
}
