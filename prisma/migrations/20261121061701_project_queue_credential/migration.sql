-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "queueCredential" TEXT;
