-- AlterEnum
ALTER TYPE "SessionKind" ADD VALUE 'IMPERSONATION';

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "grantHash" TEXT,
ADD COLUMN     "impersonatorSessionId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Session_grantHash_key" ON "Session"("grantHash");

-- CreateIndex
CREATE INDEX "Session_impersonatorSessionId_idx" ON "Session"("impersonatorSessionId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_impersonatorSessionId_fkey" FOREIGN KEY ("impersonatorSessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
