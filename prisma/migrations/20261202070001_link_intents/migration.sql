-- CreateTable
CREATE TABLE "LinkIntent" (
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkIntent_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE INDEX "LinkIntent_userId_idx" ON "LinkIntent"("userId");

-- CreateIndex
CREATE INDEX "LinkIntent_expiresAt_idx" ON "LinkIntent"("expiresAt");

-- AddForeignKey
ALTER TABLE "LinkIntent" ADD CONSTRAINT "LinkIntent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
