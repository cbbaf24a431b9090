-- DropIndex
DROP INDEX "TaskRun_taskName_waitingFor_idx";

-- DropIndex
DROP INDEX "WorkflowRun_workflowId_waitingFor_idx";

-- CreateIndex
CREATE INDEX "TaskRun_waitingFor_taskName_idx" ON "TaskRun"("waitingFor", "taskName");

-- CreateIndex
CREATE INDEX "WorkflowRun_waitingFor_workflowId_idx" ON "WorkflowRun"("waitingFor", "workflowId");
