import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RequestContext } from "@/lib/security/request-context";

export const AUDIT_EVENT_TYPES = [
  "login.success",
  "login.failure",
  "login.throttled",
  "login.rate_limited",
  "signup",
  "signup.rate_limited",
  "token.rate_limited",
  "logout",
  "logout.everywhere",
  "password.change",
  "password.reset_request",
  "password.reset",
  "email.verify",
  "email.change_request",
  "email.change",
  "email.first_proof",
  "user.role_change",
  "user.lock",
  "user.unlock",
  "user.throttle_clear",
  "user.delete",
  "api_key.create",
  "api_key.revoke",
  "mfa.enable",
  "mfa.disable",
  "mfa.reset",
  "mfa.recovery_codes",
  "passkey.add",
  "passkey.remove",
  "account.link",
  "account.unlink",
  "reauth.success",
  "reauth.failure",
  "reauth.throttled",
  "reauth.rate_limited",
  "mail.retry",
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Free-form facts about an event. Never a password, token or hash: callers pass only what they name here. */
export type AuditDetail = {
  reason?: "unknown_account" | "wrong_password" | "locked" | "no_password" | "unverified" | "wrong_code" | "wrong_passkey";
  /** Which second factor completed a sign-in. */
  factor?: "totp" | "recovery_code" | "passkey";
  /** The identity provider of a federated sign-in or link. */
  provider?: string;
  via?: "form" | "api" | "admin" | "account";
  identifier?: string;
  role?: string;
  retryAfterSeconds?: number;
  sessionsEnded?: number;
  /** What a password (or code) asked again inside a session was for. */
  purpose?: ReauthenticationPurpose;
  /** What first proved an email address, and the counts of what that removed (pre-hijacking defence). */
  proof?: "verification_link" | "reset_link" | "provider";
  removed?: Record<string, number>;
  /** A queued mail an admin acted on: its kind and recipient, never its body or link. */
  mail?: { kind: string; to: string };
};

export type ReauthenticationPurpose =
  | "password_change"
  | "email_change"
  | "account_delete"
  | "mfa_recovery_codes"
  | "mfa_disable"
  | "passkey_add"
  | "confirm_access";

export type AuditInput = {
  type: AuditEventType;
  actorId?: string | null;
  targetId?: string | null;
  context?: RequestContext;
  detail?: AuditDetail;
};

/** `client` is a transaction when the event must be written together with the change it records. */
export async function recordAudit(
  { type, actorId, targetId, context, detail }: AuditInput,
  client: Pick<Prisma.TransactionClient, "auditEvent"> = db(),
): Promise<void> {
  await client.auditEvent.create({
    data: {
      type,
      actorId: actorId ?? null,
      targetId: targetId ?? null,
      ip: context?.ip ?? null,
      userAgent: context?.userAgent ?? null,
      detail: detail ? (detail as Prisma.InputJsonObject) : undefined,
    },
  });
}

export type AuditFilter = { user?: string; type?: AuditEventType; from?: Date; to?: Date };

export type AuditEventDto = {
  id: string;
  type: string;
  actor: { id: string; username: string | null } | null;
  target: { id: string; username: string | null } | null;
  ip: string | null;
  userAgent: string | null;
  detail: AuditDetail | null;
  createdAt: string;
};

export type AuditPage = { events: AuditEventDto[]; page: number; pageSize: number; total: number };

/** Newest first. `user` matches a user id, or a username/email that resolves to one (as actor or target). */
export async function listAuditEvents(filter: AuditFilter, page: number, pageSize: number): Promise<AuditPage> {
  const where: Prisma.AuditEventWhereInput = {};
  if (filter.type) where.type = filter.type;
  if (filter.from || filter.to) where.createdAt = { ...(filter.from && { gte: filter.from }), ...(filter.to && { lt: filter.to }) };
  if (filter.user) {
    const needle = filter.user.trim().normalize("NFKC").toLowerCase();
    const match = await db().user.findFirst({
      where: { OR: [{ id: filter.user.trim() }, { username: needle }, { email: needle }] },
      select: { id: true },
    });
    const id = match?.id ?? filter.user.trim();
    where.OR = [{ actorId: id }, { targetId: id }];
  }
  const [rows, total] = await Promise.all([
    db().auditEvent.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db().auditEvent.count({ where }),
  ]);
  const ids = [...new Set(rows.flatMap((row) => [row.actorId, row.targetId]).filter((id): id is string => !!id))];
  const users = await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } });
  const usernames = new Map(users.map((user) => [user.id, user.username]));
  const person = (id: string | null) => (id ? { id, username: usernames.get(id) ?? null } : null);
  return {
    events: rows.map((row) => ({
      id: row.id,
      type: row.type,
      actor: person(row.actorId),
      target: person(row.targetId),
      ip: row.ip,
      userAgent: row.userAgent,
      detail: (row.detail as AuditDetail | null) ?? null,
      createdAt: row.createdAt.toISOString(),
    })),
    page,
    pageSize,
    total,
  };
}
