import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { toUserDto, userDtoSelect, type UserDto } from "@/lib/dal/user-dto";
import { ApiError } from "@/lib/http/api-error";
import type { Role } from "@/lib/generated/prisma/enums";
import type { SignupInput } from "@/lib/validations/auth";
import type { ListUsersQuery, UpdateUserInput } from "@/lib/validations/admin";
import { assertPasswordAllowed } from "./accounts";
import { isRecordNotFound, isUniqueViolation } from "./errors";

export const LAST_ADMIN_MESSAGE = "The last admin cannot be removed";
export const SELF_REMOVAL_MESSAGE = "You cannot remove your own admin access or account";

export type UserPage = { users: UserDto[]; page: number; pageSize: number; total: number };

export async function listUsers({ query, page, pageSize }: ListUsersQuery): Promise<UserPage> {
  const needle = query.normalize("NFKC").toLowerCase();
  const where = needle ? { OR: [{ email: { contains: needle } }, { username: { contains: needle } }] } : {};
  const [users, total] = await Promise.all([
    db().user.findMany({
      where,
      select: userDtoSelect,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db().user.count({ where }),
  ]);
  return { users: users.map(toUserDto), page, pageSize, total };
}

export async function updateUser(actorId: string, targetId: string, input: UpdateUserInput): Promise<UserDto> {
  const role = input.role as Role;
  return db().$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: targetId }, select: { role: true } });
    if (!target) throw ApiError.notFound("User");
    if (target.role === "ADMIN" && role !== "ADMIN") await assertAnotherAdminRemains(tx, actorId, targetId);
    const user = await tx.user.update({ where: { id: targetId }, data: { role }, select: userDtoSelect });
    return toUserDto(user);
  });
}

export async function deleteUser(actorId: string, targetId: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: targetId }, select: { role: true } });
    if (!target) throw ApiError.notFound("User");
    if (target.role === "ADMIN" || actorId === targetId) await assertAnotherAdminRemains(tx, actorId, targetId);
    try {
      await tx.user.delete({ where: { id: targetId } });
    } catch (error) {
      if (isRecordNotFound(error)) throw ApiError.notFound("User");
      throw error;
    }
  });
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

/** Locks every admin row so that two admins removing each other at once can't leave none. */
async function assertAnotherAdminRemains(tx: Tx, actorId: string, targetId: string): Promise<void> {
  if (actorId === targetId) throw new ApiError(403, "forbidden", SELF_REMOVAL_MESSAGE);
  const admins = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE role = 'ADMIN' FOR UPDATE`;
  if (admins.filter((admin) => admin.id !== targetId).length === 0) {
    throw new ApiError(403, "forbidden", LAST_ADMIN_MESSAGE);
  }
}

export type CreateAdminResult = { user: UserDto; created: boolean };

/** Creates an ADMIN, or promotes the account that already has this email. */
export async function createOrPromoteAdmin(input: SignupInput): Promise<CreateAdminResult> {
  const existing = await db().user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) {
    const user = await db().user.update({ where: { id: existing.id }, data: { role: "ADMIN" }, select: userDtoSelect });
    return { user: toUserDto(user), created: false };
  }
  await assertPasswordAllowed(input.password, "password", input.username, input.email);
  try {
    const user = await db().user.create({
      data: { username: input.username, email: input.email, role: "ADMIN", passwordHash: await hashPassword(input.password) },
      select: userDtoSelect,
    });
    return { user: toUserDto(user), created: true };
  } catch (error) {
    if (isUniqueViolation(error)) throw new ApiError(409, "account_exists", "That username is taken by another account");
    throw error;
  }
}
