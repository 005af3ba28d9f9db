import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { toUserDto, userDtoSelect, type UserDto } from "@/lib/dal/user-dto";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/api-error";
import { consumeRateLimit } from "@/lib/security/rate-limit";
import type { RequestContext } from "@/lib/security/request-context";
import type { ChangePasswordInput, SignupInput } from "@/lib/validations/auth";
import { CONTEXT_WORD_MESSAGE, containsContextWord, contextWords } from "@/lib/validations/fields";
import { recordAudit } from "./audit";
import { isUniqueViolation } from "./errors";
import { endUserSessions } from "./sessions";

export const signupsByIpKey = (ip: string) => `signups:ip:${ip}`;

export async function assertPasswordAllowed(password: string, field: string, username: string, email: string) {
  if (await isCommonPassword(password)) throw ApiError.validation({ [field]: [COMMON_PASSWORD_MESSAGE] });
  if (containsContextWord(password, contextWords(username, email))) {
    throw ApiError.validation({ [field]: [CONTEXT_WORD_MESSAGE] });
  }
}

export async function signUp(input: SignupInput, context: RequestContext): Promise<UserDto> {
  const slot = await consumeRateLimit(signupsByIpKey(context.ip), env().RATE_LIMIT_SIGNUPS_PER_IP);
  if (!slot.allowed) {
    await recordAudit({ type: "signup.rate_limited", context, detail: { retryAfterSeconds: slot.retryAfterSeconds } });
    throw ApiError.rateLimited(slot.retryAfterSeconds);
  }
  await assertPasswordAllowed(input.password, "password", input.username, input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db().user.create({
      data: { username: input.username, email: input.email, passwordHash },
      select: userDtoSelect,
    });
    await recordAudit({ type: "signup", actorId: user.id, targetId: user.id, context });
    return toUserDto(user);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError(409, "account_exists", "An account with this email or username already exists");
    }
    throw error;
  }
}

export async function getUser(userId: string): Promise<UserDto | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: userDtoSelect });
  return user && toUserDto(user);
}

export type SessionScope = { sessionId: string; context: RequestContext };

/** Changes the password and ends every other session and access token; the caller's own stays signed in. */
export async function changePassword(userId: string, input: ChangePasswordInput, scope: SessionScope): Promise<void> {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: { username: true, email: true, passwordHash: true },
  });
  if (!user?.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ApiError(401, "invalid_credentials", "Current password is incorrect", {
      currentPassword: ["Current password is incorrect"],
    });
  }
  await assertPasswordAllowed(input.newPassword, "newPassword", user.username, user.email);
  await db().user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(input.newPassword) } });
  const sessionsEnded = await endUserSessions(userId, scope.sessionId);
  await recordAudit({ type: "password.change", actorId: userId, targetId: userId, context: scope.context, detail: { sessionsEnded } });
}

/** "Log out everywhere": every session cookie and access token of the user fails on its next use. */
export async function revokeAllSessions(userId: string, context: RequestContext): Promise<void> {
  const sessionsEnded = await endUserSessions(userId);
  await recordAudit({ type: "logout.everywhere", actorId: userId, targetId: userId, context, detail: { sessionsEnded } });
}
