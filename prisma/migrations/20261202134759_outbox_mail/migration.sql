-- CreateEnum
CREATE TYPE "OutboxMailStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'EXPIRED');

-- CreateTable
CREATE TABLE "OutboxMail" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "sealedBody" TEXT NOT NULL,
    "status" "OutboxMailStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "leaseId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "emailTokenId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxMail_status_nextAttemptAt_idx" ON "OutboxMail"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMail_status_finishedAt_idx" ON "OutboxMail"("status", "finishedAt");

-- CreateIndex
CREATE INDEX "OutboxMail_emailTokenId_idx" ON "OutboxMail"("emailTokenId");

-- AddForeignKey
ALTER TABLE "OutboxMail" ADD CONSTRAINT "OutboxMail_emailTokenId_fkey" FOREIGN KEY ("emailTokenId") REFERENCES "EmailToken"("id") ON DELETE CASCADE ON UPDATE CASCADE;
