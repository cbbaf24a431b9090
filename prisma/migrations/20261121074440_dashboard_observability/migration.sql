-- CreateEnum
CREATE TYPE "CostSource" AS ENUM ('REPORTED', 'COMPUTED', 'UNKNOWN');

-- AlterTable
-- "search" is generated from input and output (capped, so a big payload cannot exceed tsvector's 1 MB).
ALTER TABLE "WorkflowRun" ADD COLUMN     "replayOfId" UUID,
ADD COLUMN     "search" tsvector GENERATED ALWAYS AS (
  to_tsvector('simple'::regconfig, left(coalesce("input"::text, ''), 100000) || ' ' || left(coalesce("output"::text, ''), 100000))
) STORED;

-- CreateTable
CREATE TABLE "TaskRunUsage" (
    "id" BIGSERIAL NOT NULL,
    "taskRunId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION,
    "costSource" "CostSource" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TaskRunUsage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TaskRunUsage_taskRunId_idx" ON "TaskRunUsage"("taskRunId");

-- CreateIndex
CREATE INDEX "WorkflowRun_additionalMetadata_idx" ON "WorkflowRun" USING GIN ("additionalMetadata" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "WorkflowRun_search_idx" ON "WorkflowRun" USING GIN ("search");

-- CreateIndex
CREATE INDEX "WorkflowRun_projectId_workflowId_createdAt_idx" ON "WorkflowRun"("projectId", "workflowId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "WorkflowRun_replayOfId_idx" ON "WorkflowRun"("replayOfId");

-- AddForeignKey
ALTER TABLE "WorkflowRun" ADD CONSTRAINT "WorkflowRun_replayOfId_fkey" FOREIGN KEY ("replayOfId") REFERENCES "WorkflowRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskRunUsage" ADD CONSTRAINT "TaskRunUsage_taskRunId_fkey" FOREIGN KEY ("taskRunId") REFERENCES "TaskRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
