import { z } from "zod";
import { hashPassword } from "@/lib/crypto/password";
import { db, type Transaction } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { toUserDto, userDtoSchema, userDtoSelect, type UserDto } from "@/lib/services/user-dto";
import { ApiError } from "@/lib/errors";
import { clearLoginFailures, userThrottleKey } from "@/lib/security/login-throttle";
import type { RequestContext } from "@/lib/security/request-context";
import type { SignupInput } from "@/lib/validations/auth";
import type { ListUsersQuery, UpdateUserInput, UserSort } from "@/lib/validations/admin";
import { assertPasswordAllowed } from "./password-policy";
import { recordAudit } from "./audit";
import { requestPasswordReset } from "./email-flows";
import { isRecordNotFound, isUniqueViolation } from "./errors";
import { endUserSessions } from "./sessions";
import { mailRecipient, queueMail, wakeMailWorker } from "./mail-queue";
import { activeSuspension } from "./suspension";
import { mailTemplates } from "@/lib/mail/templates";
import { publicOrigin } from "@/lib/env";

/** A page of the user list, as `GET /api/v1/admin/users` answers it. */
export const userPageSchema = z.object({
  users: z.array(userDtoSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export type UserPage = z.infer<typeof userPageSchema>;

const SORT_COLUMNS: Record<UserSort, "createdAt" | "username" | "email" | "lastLoginAt"> = {
  created: "createdAt",
  username: "username",
  email: "email",
  lastLogin: "lastLoginAt",
};

/** The users table's search: a substring of the lower-case email or username (trigram-indexed); everyone if empty. */
export function userSearchWhere(query: string): Prisma.UserWhereInput {
  const needle = query.normalize("NFKC").toLowerCase();
  return needle ? { OR: [{ email: { contains: needle } }, { username: { contains: needle } }] } : {};
}

/** The search above, sorted on an indexed column. */
export async function listUsers({ query, sort, order, page, pageSize }: ListUsersQuery): Promise<UserPage> {
  const where = userSearchWhere(query);
  const column = SORT_COLUMNS[sort];
  const [users, total] = await Promise.all([
    db().user.findMany({
      where,
      select: userDtoSelect,
      orderBy: [
        column === "lastLoginAt" ? { lastLoginAt: { sort: order, nulls: "last" } } : { [column]: order },
        { id: "asc" },
      ],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db().user.count({ where }),
  ]);
  return { users: users.map(toUserDto), page, pageSize, total };
}

/** Role change and lock/unlock. Locking ends every session and token at once; unlocking also ends any back-off. */
/**
 * What the admin table shows beyond the public User: lock, suspension (only while it runs), back-off and last sign-in.
 * The admin pages only: the JSON API's User keeps the contract's shape.
 */
export type AdminUserRow = UserDto & {
  locked: boolean;
  suspendedUntil: string | null;
  suspensionReason: string | null;
  throttled: boolean;
  lastLoginAt: string | null;
  twoFactor: boolean;
  passkeys: number;
};

function suspensionOf(row: { suspendedUntil: Date | null; suspensionReason: string | null } | undefined) {
  const until = activeSuspension(row?.suspendedUntil ?? null);
  return { suspendedUntil: until?.toISOString() ?? null, suspensionReason: until ? (row?.suspensionReason ?? null) : null };
}

async function withStatus(users: UserDto[]): Promise<AdminUserRow[]> {
  const ids = users.map((user) => user.id);
  const [extras, throttles] = await Promise.all([
    db().user.findMany({
      where: { id: { in: ids } },
      select: { id: true, lockedAt: true, suspendedUntil: true, suspensionReason: true, lastLoginAt: true, totpEnabledAt: true, _count: { select: { authenticators: true } } },
    }),
    db().loginThrottle.findMany({
      where: { key: { in: ids.map(userThrottleKey) }, blockedUntil: { gt: new Date() } },
      select: { key: true },
    }),
  ]);
  const byId = new Map(extras.map((row) => [row.id, row]));
  const throttled = new Set(throttles.map((row) => row.key));
  return users.map((user) => ({
    ...user,
    locked: !!byId.get(user.id)?.lockedAt,
    ...suspensionOf(byId.get(user.id)),
    throttled: throttled.has(userThrottleKey(user.id)),
    lastLoginAt: byId.get(user.id)?.lastLoginAt?.toISOString() ?? null,
    twoFactor: !!byId.get(user.id)?.totpEnabledAt,
    passkeys: byId.get(user.id)?._count.authenticators ?? 0,
  }));
}

export async function listUsersWithStatus(query: ListUsersQuery): Promise<Omit<UserPage, "users"> & { users: AdminUserRow[] }> {
  const result = await listUsers(query);
  return { ...result, users: await withStatus(result.users) };
}

export type AdminUserDetail = AdminUserRow & { activeSessions: number; apiKeys: number };

export async function getUserForAdmin(id: string): Promise<AdminUserDetail | null> {
  const user = await db().user.findUnique({ where: { id }, select: userDtoSelect });
  if (!user) return null;
  const [[row], activeSessions, apiKeys] = await Promise.all([
    withStatus([toUserDto(user)]),
    // An administrator viewing as the user is not one of the user's sessions.
    db().session.count({ where: { userId: id, expires: { gt: new Date() }, kind: { not: "IMPERSONATION" } } }),
    db().apiKey.count({ where: { userId: id } }),
  ]);
  return { ...row, activeSessions, apiKeys };
}

/** Signs the user out everywhere: every browser session and access token (API keys are separate, and stay). */
export async function endSessionsForUser(actorId: string, targetId: string, context: RequestContext): Promise<void> {
  if (!(await db().user.findUnique({ where: { id: targetId }, select: { id: true } }))) throw ApiError.notFound("user");
  const sessionsEnded = await endUserSessions(targetId);
  await recordAudit({ type: "logout.everywhere", actorId, targetId, context, detail: { sessionsEnded, via: "admin" } });
}

/** An admin never chooses or sees a password: they can only have the owner mailed a reset link. */
export async function sendPasswordResetForUser(actorId: string, targetId: string, context: RequestContext): Promise<void> {
  const user = await db().user.findUnique({ where: { id: targetId }, select: { email: true } });
  if (!user) throw ApiError.notFound("user");
  await requestPasswordReset(user.email, context, actorId);
}

export async function updateUser(
  actorId: string,
  targetId: string,
  input: UpdateUserInput,
  context: RequestContext,
): Promise<UserDto> {
  if ((input.locked === true || input.suspendedUntil) && actorId === targetId) throw ApiError.of("self_lock");
  const { user, before } = await db().$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: targetId }, select: { role: true, lockedAt: true, suspendedUntil: true } });
    if (!target) throw ApiError.notFound("user");
    if (input.role && target.role === "ADMIN" && input.role !== "ADMIN") await assertAnotherAdminRemains(tx, actorId, targetId);
    const lockedAt = input.locked === undefined ? undefined : input.locked ? (target.lockedAt ?? new Date()) : null;
    const updated = await tx.user.update({ where: { id: targetId }, data: { role: input.role, lockedAt }, select: userDtoSelect });
    if (input.suspendedUntil !== undefined) {
      await changeSuspension(tx, { actorId, targetId, context }, target.suspendedUntil, input.suspendedUntil, input.suspensionReason);
    }
    return { user: updated, before: target };
  });
  if (input.suspendedUntil !== undefined) wakeMailWorker();
  if (input.role && input.role !== before.role) {
    await recordAudit({ type: "user.role_change", actorId, targetId, context, detail: { role: input.role, via: "admin" } });
  }
  if (input.locked === true && !before.lockedAt) {
    const sessionsEnded = await endUserSessions(targetId);
    await recordAudit({ type: "user.lock", actorId, targetId, context, detail: { sessionsEnded, via: "admin" } });
  }
  if (input.locked === false && before.lockedAt) {
    await clearLoginFailures(userThrottleKey(targetId));
    await recordAudit({ type: "user.unlock", actorId, targetId, context, detail: { via: "admin" } });
  }
  return toUserDto(user);
}

type AdminAct = { actorId: string; targetId: string; context: RequestContext };

/**
 * Suspends (a time) or lifts (null) in the admin's transaction: a suspension ends every session and token at once,
 * like a lock; the user is mailed and the audit log says who did it, both only if the change commits. Lifting a
 * suspension that already ran out only clears the columns.
 */
async function changeSuspension(
  tx: Transaction,
  { actorId, targetId, context }: AdminAct,
  previous: Date | null,
  until: Date | null,
  reason: string | undefined,
): Promise<void> {
  const { email } = await tx.user.update({
    where: { id: targetId },
    data: { suspendedUntil: until, suspensionReason: until ? reason || null : null },
    select: { email: true },
  });
  if (until) {
    const sessionsEnded = await endUserSessions(targetId, undefined, tx);
    await queueMail(tx, mailTemplates.accountSuspended(await mailRecipient(targetId, email, tx), until, reason || null));
    const detail = { sessionsEnded, until: until.toISOString(), via: "admin" as const, ...(reason && { suspensionReason: reason }) };
    await recordAudit({ type: "user.suspend", actorId, targetId, context, detail }, tx);
  } else if (activeSuspension(previous)) {
    await queueMail(tx, mailTemplates.suspensionLifted(await mailRecipient(targetId, email, tx), `${publicOrigin()}/login`));
    await recordAudit({ type: "user.unsuspend", actorId, targetId, context, detail: { via: "admin" } }, tx);
  }
}

/** Ends a user's login back-off (and a lockout after too many failures), leaving the account as it was. */
export async function clearUserThrottle(actorId: string, targetId: string, context: RequestContext): Promise<void> {
  const target = await db().user.findUnique({ where: { id: targetId }, select: { id: true } });
  if (!target) throw ApiError.notFound("user");
  await clearLoginFailures(userThrottleKey(targetId));
  await recordAudit({ type: "user.throttle_clear", actorId, targetId, context, detail: { via: "admin" } });
}

export async function deleteUser(actorId: string, targetId: string, context: RequestContext): Promise<void> {
  const username = await db().$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: targetId }, select: { role: true, username: true } });
    if (!target) throw ApiError.notFound("user");
    if (target.role === "ADMIN" || actorId === targetId) await assertAnotherAdminRemains(tx, actorId, targetId);
    try {
      await tx.user.delete({ where: { id: targetId } });
    } catch (error) {
      if (isRecordNotFound(error)) throw ApiError.notFound("user");
      throw error;
    }
    return target.username;
  });
  await Promise.all([
    clearLoginFailures(userThrottleKey(targetId)),
    recordAudit({ type: "user.delete", actorId, targetId, context, detail: { identifier: username, via: "admin" } }),
  ]);
}


/** Locks every admin row so that two admins removing each other at once can't leave none. */
async function assertAnotherAdminRemains(tx: Transaction, actorId: string, targetId: string): Promise<void> {
  if (actorId === targetId) throw ApiError.of("self_removal");
  const admins = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE role = 'ADMIN' FOR UPDATE`;
  if (admins.filter((admin) => admin.id !== targetId).length === 0) {
    throw ApiError.of("last_admin");
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
  // signupSchema (scripts/admin-create.ts) has checked the context words already.
  await assertPasswordAllowed(input.password, "password");
  try {
    const user = await db().user.create({
      data: { username: input.username, email: input.email, role: "ADMIN", passwordHash: await hashPassword(input.password) },
      select: userDtoSelect,
    });
    return { user: toUserDto(user), created: true };
  } catch (error) {
    if (isUniqueViolation(error)) throw ApiError.of("account_exists", { message: "errors.username_taken" });
    throw error;
  }
}
