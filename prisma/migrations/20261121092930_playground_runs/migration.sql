-- CreateEnum
CREATE TYPE "PlaygroundMode" AS ENUM ('STEP', 'FROM_HERE');

-- AlterEnum
ALTER TYPE "TriggerSource" ADD VALUE 'PLAYGROUND';

-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "frozen" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "overrides" JSONB;

-- CreateTable
CREATE TABLE "PlaygroundRun" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "sourceRunId" UUID NOT NULL,
    "taskName" TEXT NOT NULL,
    "mode" "PlaygroundMode" NOT NULL,
    "batchId" UUID NOT NULL,
    "variant" INTEGER NOT NULL,
    "runId" UUID NOT NULL,
    "overrides" JSONB NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlaygroundRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlaygroundRun_runId_key" ON "PlaygroundRun"("runId");

-- CreateIndex
CREATE INDEX "PlaygroundRun_sourceRunId_taskName_createdAt_idx" ON "PlaygroundRun"("sourceRunId", "taskName", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "PlaygroundRun_batchId_idx" ON "PlaygroundRun"("batchId");

-- AddForeignKey
ALTER TABLE "PlaygroundRun" ADD CONSTRAINT "PlaygroundRun_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaygroundRun" ADD CONSTRAINT "PlaygroundRun_sourceRunId_fkey" FOREIGN KEY ("sourceRunId") REFERENCES "WorkflowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaygroundRun" ADD CONSTRAINT "PlaygroundRun_runId_fkey" FOREIGN KEY ("runId") REFERENCES "WorkflowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaygroundRun" ADD CONSTRAINT "PlaygroundRun_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
