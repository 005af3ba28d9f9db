import { database, db, type Database } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AuditQuery } from "@/lib/validations/admin";
import { env } from "@/lib/env";
import { describeError, logger } from "@/lib/log";
import type { RequestContext } from "@/lib/security/request-context";

export const AUDIT_EVENT_TYPES = [
  "login.success",
  "login.failure",
  "login.throttled",
  "login.rate_limited",
  "signup",
  "signup.rate_limited",
  "token.rate_limited",
  "token.reuse",
  "token.revoke",
  "logout",
  "logout.everywhere",
  "session.end",
  "session.end_others",
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
  "user.suspend",
  "user.unsuspend",
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
  "export.users",
  "export.audit",
  "impersonation.start",
  "impersonation.stop",
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Free-form facts about an event. Never a password, token or hash: callers pass only what they name here. */
export type AuditDetail = {
  reason?: "unknown_account" | "wrong_password" | "locked" | "suspended" | "no_password" | "unverified" | "wrong_code" | "wrong_passkey";
  /** Which second factor completed a sign-in. */
  factor?: "totp" | "recovery_code" | "passkey";
  /** The identity provider of a federated sign-in or link. */
  provider?: string;
  via?: "form" | "api" | "admin" | "account";
  identifier?: string;
  role?: string;
  retryAfterSeconds?: number;
  sessionsEnded?: number;
  /** A suspension's end (ISO time) and the admin's reason for it. */
  until?: string;
  suspensionReason?: string;
  /** What a password (or code) asked again inside a session was for. */
  purpose?: ReauthenticationPurpose;
  /** What first proved an email address, and the counts of what that removed (pre-hijacking defence). */
  proof?: "verification_link" | "reset_link" | "provider";
  removed?: Record<string, number>;
  /** A queued mail an admin acted on: its kind and recipient, never its body or link. */
  mail?: { kind: string; to: string };
  /** What a new API key may do. */
  scopes?: string[];
  /** The filter an admin exported the users or the audit log with (and the format). */
  filter?: Record<string, string>;
  /** Why an administrator started viewing as the user, in their words. */
  impersonationReason?: string;
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
  await insertAudit({ type, actorId, targetId, context, detail }, new Date(), client);
}

async function insertAudit(
  { type, actorId, targetId, context, detail }: AuditInput,
  at: Date,
  client: Pick<Prisma.TransactionClient, "auditEvent"> = db(),
): Promise<string> {
  const row = await client.auditEvent.create({
    data: {
      type,
      actorId: actorId ?? null,
      targetId: targetId ?? null,
      ip: context?.ip ?? null,
      userAgent: context?.userAgent ?? null,
      detail: detail ? (detail as Prisma.InputJsonObject) : undefined,
      createdAt: at,
      lastAt: at,
    },
    select: { id: true },
  });
  return row.id;
}

/** Repeats of one event wait in memory at most this long before their row's count catches up. */
export const REPEAT_FLUSH_MS = 5_000;
/** Events being merged at once; past this the oldest is written out and a repeat of it starts a new row. */
const MAX_MERGING = 10_000;

/** One row being merged into: its id once written, and the repeats not written yet. */
type Merging = { id: Promise<string>; until: number; pending: number; lastAt: Date };
type Merger = { database: Database; events: Map<string, Merging>; timer?: NodeJS.Timeout };

// Per database, like the refusal memory: a test's fresh database starts with nothing to merge into.
const mergers = new WeakMap<Database, Merger>();

function merger(): Merger {
  const current = database();
  let found = mergers.get(current);
  if (!found) mergers.set(current, (found = { database: current, events: new Map() }));
  return found;
}

/**
 * A refusal of `key` (an account's back-off, an address's window): one event per block or full window, however
 * often and from wherever it is refused. The event keeps the first refusal's address, agent and detail.
 */
export const recordRefusalAudit = (input: AuditInput & { detail: { retryAfterSeconds: number } }, key: string) =>
  recordRepeatedAudit(input, input.detail.retryAfterSeconds * 1000, JSON.stringify([input.type, key]));

/** A failed password or code: one event per account, address, agent and reason per failed-login window. */
export const recordFailureAudit = (input: AuditInput) =>
  recordRepeatedAudit(input, env().RATE_LIMIT_LOGIN_FAILURES_PER_IP.windowSeconds * 1000, sameEventKey(input));

function sameEventKey({ type, actorId, targetId, context, detail }: AuditInput): string {
  return JSON.stringify([type, actorId ?? null, targetId ?? null, context?.ip ?? null, context?.userAgent ?? null, detail ?? {}]);
}

/** Writes to the database the repeats were counted for, even if the process has moved on to another (tests). */
async function writeRepeats(state: Merger, entry: Merging): Promise<void> {
  if (!entry.pending) return;
  const [added, lastAt] = [entry.pending, entry.lastAt];
  entry.pending = 0;
  await state.database.prisma.auditEvent.update({ where: { id: await entry.id }, data: { count: { increment: added }, lastAt }, select: { id: true } });
}

/** Writes every repeat still in memory, and forgets the rows whose window has closed. */
export async function flushRepeatedAudits(): Promise<void> {
  await flush(merger());
}

async function flush(state: Merger): Promise<void> {
  const { events } = state;
  const now = Date.now();
  const writes = [...events].map(async ([key, entry]) => {
    if (entry.until <= now) events.delete(key);
    await writeRepeats(state, entry);
  });
  await Promise.all(writes);
}

function scheduleFlush(state: Merger): void {
  state.timer ??= setTimeout(() => {
    state.timer = undefined;
    flush(state).catch((error: unknown) => logger().error({ error: describeError(error) }, "Writing repeated audit events failed"));
  }, REPEAT_FLUSH_MS).unref();
}

/**
 * An event that a flood could repeat (a refusal, a failure): for `windowMs` after it is first written, another
 * with the same `key` adds to that row's `count` and `lastAt` instead of writing a row per request. The repeats
 * reach the row within REPEAT_FLUSH_MS, each instance merging its own.
 */
async function recordRepeatedAudit(input: AuditInput, windowMs: number, key: string): Promise<void> {
  const state = merger();
  const now = Date.now();
  const until = now + windowMs;
  const known = state.events.get(key);
  if (known && known.until > now) {
    known.pending += 1;
    known.lastAt = new Date(now);
    scheduleFlush(state);
    return;
  }
  if (known) {
    state.events.delete(key);
    await writeRepeats(state, known);
  }
  if (state.events.size >= MAX_MERGING) {
    const [oldestKey, oldest] = state.events.entries().next().value!;
    state.events.delete(oldestKey);
    await writeRepeats(state, oldest);
  }
  const id = insertAudit(input, new Date(now));
  const entry: Merging = { id, until, pending: 0, lastAt: new Date(now) };
  state.events.set(key, entry);
  try {
    await id;
  } catch (error) {
    if (state.events.get(key) === entry) state.events.delete(key);
    throw error;
  }
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
  /** How many times it happened (repeats merged into one event), the first at createdAt, the last at lastAt. */
  count: number;
  createdAt: string;
  lastAt: string;
};

export type AuditPage = { events: AuditEventDto[]; page: number; pageSize: number; total: number };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The audit page's form (days, both included; an unknown type ignored) as a filter. */
export function auditFilterOf(query: Pick<AuditQuery, "user" | "type" | "from" | "to">): AuditFilter {
  return {
    user: query.user || undefined,
    type: (AUDIT_EVENT_TYPES as readonly string[]).includes(query.type) ? (query.type as AuditEventType) : undefined,
    from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
    to: query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS) : undefined,
  };
}

/** The audit page's filter as a query (the log page and its exports select the same events). */
export async function auditWhere(filter: AuditFilter): Promise<Prisma.AuditEventWhereInput> {
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
  return where;
}

/**
 * Newest first. `user` matches a user id, or a username/email that resolves to one (as actor or target). Repeats
 * this instance still holds are written first, so its counts are exact here (other instances' within
 * REPEAT_FLUSH_MS).
 */
export async function listAuditEvents(filter: AuditFilter, page: number, pageSize: number): Promise<AuditPage> {
  await flushRepeatedAudits();
  const where = await auditWhere(filter);
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
      count: row.count,
      createdAt: row.createdAt.toISOString(),
      lastAt: row.lastAt.toISOString(),
    })),
    page,
    pageSize,
    total,
  };
}
