import { Prisma } from "@/lib/generated/prisma/client";

/** A unique constraint broke: the database, not a prior lookup, decides who got there first. */
export function isUniqueViolation(error: unknown): error is Prisma.PrismaClientKnownRequestError {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}

/** The database could not be reached to check a session: answer "temporarily unavailable", not "signed out". */
export class DatabaseUnavailableError extends Error {
  constructor() {
    super("The database is temporarily unavailable");
    this.name = "DatabaseUnavailableError";
  }
}
