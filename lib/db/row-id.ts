import { randomBytes } from "node:crypto";

/**
 * The id of a row written by one of our own statements instead of Prisma: "c", the time in base 36 and 80 random
 * bits, shaped like the cuid() Prisma gives every other row. Only uniqueness matters: ids order nothing but ties.
 */
export function newRowId(): string {
  const random = BigInt(`0x${randomBytes(10).toString("hex")}`).toString(36).padStart(16, "0");
  return `c${Date.now().toString(36)}${random}`;
}
