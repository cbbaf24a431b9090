-- CreateEnum
CREATE TYPE "WaitReason" AS ENUM ('CONCURRENCY', 'SLEEP', 'EVENT', 'CHILD');

-- CreateEnum
CREATE TYPE "DurableStepKind" AS ENUM ('SLEEP', 'EVENT', 'CHILD');

-- AlterEnum
ALTER TYPE "TaskStatus" ADD VALUE 'WAITING';

-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "concurrencyKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "waitingFor" "WaitReason";

-- AlterTable
ALTER TABLE "WorkflowRun" ADD COLUMN     "childKey" TEXT,
ADD COLUMN     "concurrencyKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "parentTaskRunId" UUID,
ADD COLUMN     "waitingFor" "WaitReason";

-- CreateTable
CREATE TABLE "DurableStep" (
    "id" UUID NOT NULL,
    "taskRunId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "kind" "DurableStepKind" NOT NULL,
    "wakeAt" TIMESTAMP(3),
    "eventKey" TEXT,
    "filter" JSONB,
    "childRunId" UUID,
    "result" JSONB,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DurableStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimit" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "limit" INTEGER NOT NULL,
    "duration" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitSlot" (
    "id" BIGSERIAL NOT NULL,
    "projectId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimitSlot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DurableStep_kind_completedAt_wakeAt_idx" ON "DurableStep"("kind", "completedAt", "wakeAt");

-- CreateIndex
CREATE INDEX "DurableStep_eventKey_completedAt_idx" ON "DurableStep"("eventKey", "completedAt");

-- CreateIndex
CREATE INDEX "DurableStep_childRunId_idx" ON "DurableStep"("childRunId");

-- CreateIndex
CREATE UNIQUE INDEX "DurableStep_taskRunId_index_key" ON "DurableStep"("taskRunId", "index");

-- CreateIndex
CREATE UNIQUE INDEX "RateLimit_projectId_key_key" ON "RateLimit"("projectId", "key");

-- CreateIndex
CREATE INDEX "RateLimitSlot_projectId_key_at_idx" ON "RateLimitSlot"("projectId", "key", "at");

-- CreateIndex
CREATE INDEX "TaskRun_taskName_waitingFor_idx" ON "TaskRun"("taskName", "waitingFor");

-- CreateIndex
CREATE INDEX "TaskRun_concurrencyKeys_idx" ON "TaskRun" USING GIN ("concurrencyKeys");

-- CreateIndex
CREATE INDEX "WorkflowRun_workflowId_waitingFor_idx" ON "WorkflowRun"("workflowId", "waitingFor");

-- CreateIndex
CREATE INDEX "WorkflowRun_concurrencyKeys_idx" ON "WorkflowRun" USING GIN ("concurrencyKeys");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowRun_parentTaskRunId_childKey_key" ON "WorkflowRun"("parentTaskRunId", "childKey");

-- AddForeignKey
ALTER TABLE "WorkflowRun" ADD CONSTRAINT "WorkflowRun_parentTaskRunId_fkey" FOREIGN KEY ("parentTaskRunId") REFERENCES "TaskRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DurableStep" ADD CONSTRAINT "DurableStep_taskRunId_fkey" FOREIGN KEY ("taskRunId") REFERENCES "TaskRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RateLimit" ADD CONSTRAINT "RateLimit_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
