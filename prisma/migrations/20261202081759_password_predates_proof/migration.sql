-- AlterTable
ALTER TABLE "User" ADD COLUMN     "passwordPredatesProof" BOOLEAN NOT NULL DEFAULT false;
