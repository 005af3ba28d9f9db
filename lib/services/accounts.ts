import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword, verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { sessionUserSelect, toUserDto, userDtoSelect, type SessionUser, type UserDto } from "@/lib/dal/user-dto";
import { ApiError } from "@/lib/http/api-error";
import type { ChangePasswordInput, SignupInput } from "@/lib/validations/auth";
import { CONTEXT_WORD_MESSAGE, containsContextWord, contextWords } from "@/lib/validations/fields";
import { isUniqueViolation } from "./errors";

export async function assertPasswordAllowed(password: string, field: string, username: string, email: string) {
  if (await isCommonPassword(password)) throw ApiError.validation({ [field]: [COMMON_PASSWORD_MESSAGE] });
  if (containsContextWord(password, contextWords(username, email))) {
    throw ApiError.validation({ [field]: [CONTEXT_WORD_MESSAGE] });
  }
}

export async function signUp(input: SignupInput): Promise<UserDto> {
  await assertPasswordAllowed(input.password, "password", input.username, input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db().user.create({
      data: { username: input.username, email: input.email, passwordHash },
      select: userDtoSelect,
    });
    return toUserDto(user);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError(409, "account_exists", "An account with this email or username already exists");
    }
    throw error;
  }
}

function identifierWhere(identifier: string) {
  const normalized = identifier.trim().normalize("NFKC").toLowerCase();
  return normalized.includes("@") ? { email: normalized } : { username: normalized };
}

/** The user for a correct email-or-username and password; null otherwise, in the same time either way. */
export async function authenticate(identifier: string, password: string): Promise<SessionUser | null> {
  const user = await db().user.findUnique({
    where: identifierWhere(identifier),
    select: { ...sessionUserSelect, passwordHash: true },
  });
  if (!user?.passwordHash) return verifyAgainstDummy(password).then(() => null);
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  const { passwordHash: _omit, ...sessionUser } = user;
  return sessionUser;
}

/** One indexed read: the user behind a session or token, if that session version is still current. */
export async function getSessionUser(userId: string, sessionVersion: number): Promise<SessionUser | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: sessionUserSelect });
  return user && user.sessionVersion === sessionVersion ? user : null;
}

export async function getUser(userId: string): Promise<UserDto | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: userDtoSelect });
  return user && toUserDto(user);
}

/** Changes the password and ends every session and token issued before; returns the new session state. */
export async function changePassword(userId: string, input: ChangePasswordInput): Promise<SessionUser> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { ...sessionUserSelect, passwordHash: true } });
  if (!user?.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ApiError(401, "invalid_credentials", "Current password is incorrect", {
      currentPassword: ["Current password is incorrect"],
    });
  }
  await assertPasswordAllowed(input.newPassword, "newPassword", user.username, user.email);
  return db().user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(input.newPassword), sessionVersion: { increment: 1 } },
    select: sessionUserSelect,
  });
}

/** "Log out everywhere": every session cookie and access token issued so far fails on its next use. */
export async function revokeAllSessions(userId: string): Promise<void> {
  await db().user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
