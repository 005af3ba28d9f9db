-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "authenticatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Sessions that exist already last proved who they are when they were signed in, not now.
UPDATE "Session" SET "authenticatedAt" = "createdAt";
