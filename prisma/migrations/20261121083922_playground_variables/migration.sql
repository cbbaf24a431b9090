-- CreateTable
CREATE TABLE "TaskRunVariable" (
    "id" BIGSERIAL NOT NULL,
    "taskRunId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "defaultValue" JSONB NOT NULL,
    "value" JSONB NOT NULL,
    "overridden" BOOLEAN NOT NULL DEFAULT false,
    "file" TEXT,
    "line" INTEGER,
    "column" INTEGER,

    CONSTRAINT "TaskRunVariable_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlaygroundVariable" (
    "id" UUID NOT NULL,
    "workflowId" UUID NOT NULL,
    "taskName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "defaultValue" JSONB NOT NULL,
    "file" TEXT,
    "line" INTEGER,
    "column" INTEGER,
    "versionId" UUID NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlaygroundVariable_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TaskRunVariable_taskRunId_attempt_name_key" ON "TaskRunVariable"("taskRunId", "attempt", "name");

-- CreateIndex
CREATE UNIQUE INDEX "PlaygroundVariable_workflowId_taskName_name_key" ON "PlaygroundVariable"("workflowId", "taskName", "name");

-- AddForeignKey
ALTER TABLE "TaskRunVariable" ADD CONSTRAINT "TaskRunVariable_taskRunId_fkey" FOREIGN KEY ("taskRunId") REFERENCES "TaskRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaygroundVariable" ADD CONSTRAINT "PlaygroundVariable_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
