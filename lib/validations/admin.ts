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

export const updateUserSchema = z
  .strictObject({ role: roleField.optional(), locked: z.boolean({ error: "locked must be true or false" }).optional() })
  .refine((value) => value.role !== undefined || value.locked !== undefined, { message: "Nothing to change" });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

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
