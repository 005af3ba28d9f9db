-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "scopes" TEXT[] DEFAULT ARRAY['profile:read']::TEXT[];

-- Keys made before scopes keep every power they had: reading the profile, and the admin routes when their owner is
-- an admin. Managing keys was never open to keys, and introspection is new, so neither is granted after the fact.
UPDATE "ApiKey" k SET "scopes" = ARRAY['profile:read', 'admin:users:read', 'admin:users:write']::TEXT[]
FROM "User" u WHERE u."id" = k."userId" AND u."role" = 'ADMIN';
