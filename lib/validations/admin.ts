import { z } from "zod";

export const ROLES = ["USER", "ADMIN"] as const;
export const roleField = z.enum(ROLES, { error: "Role must be USER or ADMIN" });
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const listUsersQuerySchema = z.strictObject({
  query: z.string().trim().max(254).default(""),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export const updateUserSchema = z
  .strictObject({ role: roleField.optional() })
  .refine((value) => value.role !== undefined, { message: "Nothing to change" });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const userIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
