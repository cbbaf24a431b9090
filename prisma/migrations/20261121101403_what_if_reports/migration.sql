-- CreateEnum
CREATE TYPE "WhatIfStatus" AS ENUM ('RUNNING', 'FINISHED', 'CANCELLED');

-- AlterTable
ALTER TABLE "PlaygroundRun" ADD COLUMN     "reportId" UUID;

-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "checkResults" JSONB;

-- CreateTable
CREATE TABLE "WhatIfReport" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "workflowId" UUID NOT NULL,
    "taskName" TEXT NOT NULL,
    "mode" "PlaygroundMode" NOT NULL,
    "overrides" JSONB NOT NULL,
    "filter" JSONB,
    "rules" JSONB NOT NULL DEFAULT '[]',
    "status" "WhatIfStatus" NOT NULL DEFAULT 'RUNNING',
    "warnings" JSONB NOT NULL DEFAULT '[]',
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "WhatIfReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WhatIfReport_projectId_createdAt_idx" ON "WhatIfReport"("projectId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "PlaygroundRun_reportId_idx" ON "PlaygroundRun"("reportId");

-- AddForeignKey
ALTER TABLE "PlaygroundRun" ADD CONSTRAINT "PlaygroundRun_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "WhatIfReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WhatIfReport" ADD CONSTRAINT "WhatIfReport_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WhatIfReport" ADD CONSTRAINT "WhatIfReport_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WhatIfReport" ADD CONSTRAINT "WhatIfReport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
