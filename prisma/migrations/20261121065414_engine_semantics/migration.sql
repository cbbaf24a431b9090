-- CreateEnum
CREATE TYPE "AttemptStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'LOST', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ScheduleKind" AS ENUM ('CRON', 'ONCE');

-- CreateEnum
CREATE TYPE "ScheduleSource" AS ENUM ('DEFINITION', 'API');

-- DropIndex
DROP INDEX "TaskRun_status_idx";

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "processedAt" TIMESTAMP(3),
ADD COLUMN     "replayOfId" UUID;

-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "isOnFailure" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "scheduleDeadline" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WorkflowRun" ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "scheduleId" UUID;

-- CreateTable
CREATE TABLE "TaskRunAttempt" (
    "id" UUID NOT NULL,
    "taskRunId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" "AttemptStatus" NOT NULL DEFAULT 'QUEUED',
    "workerId" UUID,
    "error" TEXT,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "runAfter" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TaskRunAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Schedule" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "workflowId" UUID NOT NULL,
    "kind" "ScheduleKind" NOT NULL,
    "source" "ScheduleSource" NOT NULL DEFAULT 'API',
    "name" TEXT,
    "expression" TEXT,
    "runAt" TIMESTAMP(3),
    "input" JSONB NOT NULL,
    "additionalMetadata" JSONB,
    "priority" INTEGER,
    "firedAt" TIMESTAMP(3),
    "lastFiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TaskRunAttempt_taskRunId_attempt_key" ON "TaskRunAttempt"("taskRunId", "attempt");

-- CreateIndex
CREATE INDEX "Schedule_projectId_kind_idx" ON "Schedule"("projectId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Schedule_workflowId_name_key" ON "Schedule"("workflowId", "name");

-- CreateIndex
CREATE INDEX "Event_projectId_createdAt_idx" ON "Event"("projectId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Event_processedAt_createdAt_idx" ON "Event"("processedAt", "createdAt");

-- CreateIndex
CREATE INDEX "TaskRun_status_queuedAt_idx" ON "TaskRun"("status", "queuedAt");

-- CreateIndex
CREATE INDEX "TaskRun_status_scheduleDeadline_idx" ON "TaskRun"("status", "scheduleDeadline");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowRun_projectId_idempotencyKey_key" ON "WorkflowRun"("projectId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "WorkflowRun" ADD CONSTRAINT "WorkflowRun_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "Schedule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskRunAttempt" ADD CONSTRAINT "TaskRunAttempt_taskRunId_fkey" FOREIGN KEY ("taskRunId") REFERENCES "TaskRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskRunAttempt" ADD CONSTRAINT "TaskRunAttempt_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_replayOfId_fkey" FOREIGN KEY ("replayOfId") REFERENCES "Event"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Schedule" ADD CONSTRAINT "Schedule_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Schedule" ADD CONSTRAINT "Schedule_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
