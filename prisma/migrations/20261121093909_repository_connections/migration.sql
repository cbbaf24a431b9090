-- CreateEnum
CREATE TYPE "PullRequestState" AS ENUM ('OPEN', 'CLOSED', 'MERGED');

-- CreateTable
CREATE TABLE "RepositoryConnection" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "owner" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "baseBranch" TEXT NOT NULL DEFAULT 'main',
    "pathPrefix" TEXT NOT NULL DEFAULT '',
    "token" TEXT NOT NULL,
    "lastTestOk" BOOLEAN,
    "lastTestMessage" TEXT,
    "lastTestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RepositoryConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PullRequest" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "workflowId" UUID NOT NULL,
    "taskName" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "state" "PullRequestState" NOT NULL DEFAULT 'OPEN',
    "branch" TEXT NOT NULL,
    "base" TEXT NOT NULL,
    "headSha" TEXT NOT NULL,
    "sourceRunId" UUID NOT NULL,
    "playgroundRunId" UUID NOT NULL,
    "createdById" UUID,
    "stateCheckedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PullRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PullRequestCommit" (
    "id" UUID NOT NULL,
    "pullRequestId" UUID NOT NULL,
    "sha" TEXT NOT NULL,
    "sourceRunId" UUID NOT NULL,
    "playgroundRunId" UUID NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PullRequestCommit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RepositoryConnection_projectId_key" ON "RepositoryConnection"("projectId");

-- CreateIndex
CREATE INDEX "PullRequest_projectId_workflowId_taskName_idx" ON "PullRequest"("projectId", "workflowId", "taskName");

-- CreateIndex
CREATE INDEX "PullRequest_sourceRunId_idx" ON "PullRequest"("sourceRunId");

-- CreateIndex
CREATE INDEX "PullRequest_playgroundRunId_idx" ON "PullRequest"("playgroundRunId");

-- CreateIndex
CREATE UNIQUE INDEX "PullRequest_projectId_owner_repo_number_key" ON "PullRequest"("projectId", "owner", "repo", "number");

-- CreateIndex
CREATE INDEX "PullRequestCommit_pullRequestId_createdAt_idx" ON "PullRequestCommit"("pullRequestId", "createdAt");

-- CreateIndex
CREATE INDEX "PullRequestCommit_sourceRunId_idx" ON "PullRequestCommit"("sourceRunId");

-- CreateIndex
CREATE INDEX "PullRequestCommit_playgroundRunId_idx" ON "PullRequestCommit"("playgroundRunId");

-- AddForeignKey
ALTER TABLE "RepositoryConnection" ADD CONSTRAINT "RepositoryConnection_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_sourceRunId_fkey" FOREIGN KEY ("sourceRunId") REFERENCES "WorkflowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_playgroundRunId_fkey" FOREIGN KEY ("playgroundRunId") REFERENCES "PlaygroundRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequestCommit" ADD CONSTRAINT "PullRequestCommit_pullRequestId_fkey" FOREIGN KEY ("pullRequestId") REFERENCES "PullRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequestCommit" ADD CONSTRAINT "PullRequestCommit_sourceRunId_fkey" FOREIGN KEY ("sourceRunId") REFERENCES "WorkflowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequestCommit" ADD CONSTRAINT "PullRequestCommit_playgroundRunId_fkey" FOREIGN KEY ("playgroundRunId") REFERENCES "PlaygroundRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequestCommit" ADD CONSTRAINT "PullRequestCommit_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
