import { z } from "zod";
import type { Role } from "@/lib/generated/prisma/enums";
import { roleField } from "@/lib/validations/admin";

/** The only shape in which a user leaves the data layer: never a hash, token or secret. The API's `User`. */
export const userDtoSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.email(),
  role: roleField,
  emailVerified: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type UserDto = z.infer<typeof userDtoSchema>;

export const userDtoSelect = {
  id: true,
  username: true,
  email: true,
  role: true,
  emailVerified: true,
  createdAt: true,
} as const;

/** The user's columns that toUserDto reads, as Prisma or a raw query returns them. */
export type UserDtoRow = { id: string; username: string; email: string; role: Role; emailVerified: Date | null; createdAt: Date };

export function toUserDto(row: UserDtoRow): UserDto {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role,
    emailVerified: row.emailVerified !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * The same user columns for the one-statement checks behind every request (`u` is the joined "User"), in the plain
 * types `preparedQuery` hands back as they are.
 */
export const USER_DTO_COLUMNS_SQL = `u."id", u."username", u."email", u."role"::text AS "role",
  u."emailVerified" IS NOT NULL AS "emailVerified", (EXTRACT(EPOCH FROM u."createdAt") * 1000)::float8 AS "createdAtMs"`;

export type UserDtoColumns = { id: string; username: string; email: string; role: Role; emailVerified: boolean; createdAtMs: number };

export function userDtoFromColumns({ id, username, email, role, emailVerified, createdAtMs }: UserDtoColumns): UserDto {
  return { id, username, email, role, emailVerified, createdAt: new Date(createdAtMs).toISOString() };
}

/** Who is calling, as every page, action and handler sees it after the revocation check. */
export type SessionUser = { id: string; username: string; email: string; role: Role };

export const sessionUserSelect = { id: true, username: true, email: true, role: true } as const;
