import { z } from "zod";

export const ROLES = ["USER", "ADMIN"] as const;
export const roleField = z.enum(ROLES, { error: "Role must be USER or ADMIN" });
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const USER_SORTS = ["created", "username", "email", "lastLogin"] as const;
export type UserSort = (typeof USER_SORTS)[number];

export const listUsersQuerySchema = z.strictObject({
  query: z.string().trim().max(254).default(""),
  sort: z.enum(USER_SORTS, { error: `sort must be one of ${USER_SORTS.join(", ")}` }).default("created"),
  order: z.enum(["asc", "desc"], { error: "order must be asc or desc" }).default("desc"),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export const SUSPENSION_REASON_MAX = 500;

/** A suspension's end: an ISO 8601 time with its offset, in the future; `null` lifts a suspension. */
export const suspendedUntilField = z
  .iso.datetime({ offset: true, error: "suspendedUntil must be an ISO 8601 time like 2026-12-24T18:00:00Z, or null" })
  .transform((value) => new Date(value))
  .refine((value) => value.getTime() > Date.now(), "suspendedUntil must be in the future (null lifts a suspension)")
  .nullable();

export const updateUserSchema = z
  .strictObject({
    role: roleField.optional(),
    locked: z.boolean({ error: "locked must be true or false" }).optional(),
    suspendedUntil: suspendedUntilField.optional(),
    suspensionReason: z.string({ error: "suspensionReason must be text" }).trim().max(SUSPENSION_REASON_MAX).optional(),
  })
  .refine((value) => value.role !== undefined || value.locked !== undefined || value.suspendedUntil !== undefined, {
    message: "Nothing to change",
  })
  .refine((value) => value.suspensionReason === undefined || value.suspendedUntil instanceof Date, {
    message: "suspensionReason goes with a suspendedUntil time",
    path: ["suspensionReason"],
  });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

/** Why an administrator views the app as a user: said before it starts, and kept in the audit log. */
export const IMPERSONATION_REASON_MAX = 200;
export const impersonationReasonSchema = z.string().trim().min(3).max(IMPERSONATION_REASON_MAX);

export const recordIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const optionalDay = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined))
  .refine((value) => value === undefined || (DAY.test(value) && !Number.isNaN(Date.parse(value))), "Use a date like 2026-11-27");

/** The audit log filters: a user (id, username or email), an event type, and a day range (both days included). */
export const auditQuerySchema = z.strictObject({
  user: z.string().trim().max(254).default(""),
  type: z.string().trim().max(64).default(""),
  from: optionalDay,
  to: optionalDay,
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const AUDIT_FEED_DEFAULT_LIMIT = 50;
export const AUDIT_FEED_MAX_LIMIT = 200;

/** An instant: an ISO 8601 time with its offset, or a day (midnight UTC). */
const instantField = (name: string) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: `${name} must be an ISO 8601 time like 2026-12-02T18:00:00Z or a day like 2026-12-02` })
    .transform((value) => new Date(value))
    .optional();

/** The JSON audit feed (`GET /api/v1/admin/audit`): exact filters, a half-open time range, keyset pagination. */
export const auditFeedQuerySchema = z.strictObject({
  type: z.string().trim().max(64).optional(),
  actor: recordIdSchema.optional(),
  target: recordIdSchema.optional(),
  since: instantField("since"),
  until: instantField("until"),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_FEED_MAX_LIMIT).default(AUDIT_FEED_DEFAULT_LIMIT),
});
export type AuditFeedQuery = z.infer<typeof auditFeedQuerySchema>;
