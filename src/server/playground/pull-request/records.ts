// Pull requests as stored: one row per pull request, one PullRequestCommit per commit Whetstone
// pushed to it. Their state is re-read from GitHub when it matters (offering to push to one) and,
// best effort, when a run page lists them.
import type { Prisma, PrismaClient } from '@/server/db/client';
import type { Connected } from './connection';
import type { PullRequestState } from './github';

/** A stored OPEN state older than this is re-read from GitHub when a run page lists it. */
const STATE_TTL_MS = 60_000;
/** At most this many states are re-read per listing (each is one request to GitHub). */
const MAX_REFRESHES = 5;

export const pullRequestSelect = {
  id: true,
  owner: true,
  repo: true,
  number: true,
  url: true,
  state: true,
  branch: true,
  base: true,
  headSha: true,
  taskName: true,
  sourceRunId: true,
  playgroundRunId: true,
  stateCheckedAt: true,
  createdAt: true,
  updatedAt: true,
  workflow: { select: { name: true } },
  playgroundRun: { select: { runId: true, variant: true } },
  createdBy: { select: { email: true } },
  commits: {
    orderBy: { createdAt: 'asc' },
    select: {
      sha: true,
      sourceRunId: true,
      createdAt: true,
      playgroundRun: { select: { id: true, runId: true, variant: true } },
      createdBy: { select: { email: true } },
    },
  },
} satisfies Prisma.PullRequestSelect;

type Row = Prisma.PullRequestGetPayload<{ select: typeof pullRequestSelect }>;

export type PullRequestView = ReturnType<typeof pullRequestView>;

export function pullRequestView(row: Row) {
  return {
    id: row.id,
    repository: `${row.owner}/${row.repo}`,
    number: row.number,
    url: row.url,
    state: row.state,
    branch: row.branch,
    base: row.base,
    headSha: row.headSha,
    workflowName: row.workflow.name,
    taskName: row.taskName,
    sourceRunId: row.sourceRunId,
    /** The variant it was opened from: its PlaygroundRun and its run. */
    playgroundRunId: row.playgroundRunId,
    variantRunId: row.playgroundRun.runId,
    createdBy: row.createdBy?.email ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    commits: row.commits.map((c) => ({
      sha: c.sha,
      sourceRunId: c.sourceRunId,
      playgroundRunId: c.playgroundRun.id,
      variantRunId: c.playgroundRun.runId,
      createdBy: c.createdBy?.email ?? null,
      createdAt: c.createdAt,
    })),
  };
}

/**
 * The newest pull request Whetstone opened for this workflow task in the connected repository that
 * GitHub still reports open (stored states are corrected on the way).
 */
export async function findOpenPullRequest(
  prisma: PrismaClient,
  connected: Connected,
  projectId: string,
  workflowId: string,
  taskName: string,
) {
  const candidates = await prisma.pullRequest.findMany({
    where: { projectId, workflowId, taskName, owner: connected.owner, repo: connected.repo, state: 'OPEN' },
    orderBy: { createdAt: 'desc' },
    select: pullRequestSelect,
  });
  for (const row of candidates) {
    const { state } = await connected.github.pullRequest(row.number);
    if (state === 'OPEN') {
      await prisma.pullRequest.update({ where: { id: row.id }, data: { stateCheckedAt: new Date() } });
      return pullRequestView(row);
    }
    await prisma.pullRequest.update({ where: { id: row.id }, data: { state, stateCheckedAt: new Date() } });
  }
  return null;
}

export interface OpenedRecord {
  projectId: string;
  workflowId: string;
  taskName: string;
  owner: string;
  repo: string;
  number: number;
  url: string;
  state: PullRequestState;
  branch: string;
  base: string;
  headSha: string;
  sourceRunId: string;
  playgroundRunId: string;
  createdById?: string;
}

export async function recordOpened(prisma: PrismaClient, pr: OpenedRecord) {
  const { headSha, sourceRunId, playgroundRunId, createdById } = pr;
  const row = await prisma.pullRequest.create({
    data: { ...pr, commits: { create: { sha: headSha, sourceRunId, playgroundRunId, createdById } } },
    select: pullRequestSelect,
  });
  return pullRequestView(row);
}

export async function recordPushed(
  prisma: PrismaClient,
  pullRequestId: string,
  commit: { sha: string; sourceRunId: string; playgroundRunId: string; createdById?: string },
) {
  const row = await prisma.pullRequest.update({
    where: { id: pullRequestId },
    data: { headSha: commit.sha, state: 'OPEN', stateCheckedAt: new Date(), commits: { create: commit } },
    select: pullRequestSelect,
  });
  return pullRequestView(row);
}

/** Pull requests a run is the source or a variant of (as the one that opened it, or a later commit), newest first. */
export async function pullRequestsForRun(prisma: PrismaClient, projectId: string, runId: string, connected: Connected | null) {
  const ofRun = { OR: [{ sourceRunId: runId }, { playgroundRun: { runId } }] };
  const rows = await prisma.pullRequest.findMany({
    where: { projectId, OR: [ofRun, { commits: { some: ofRun } }] },
    orderBy: { createdAt: 'desc' },
    select: pullRequestSelect,
  });
  if (connected) await refreshStates(prisma, connected, rows);
  return rows.map(pullRequestView);
}

/** Re-reads stale OPEN states of the connected repository's pull requests; GitHub being unreachable only leaves them stale. */
async function refreshStates(prisma: PrismaClient, connected: Connected, rows: Row[]): Promise<void> {
  const stale = rows
    .filter(
      (r) =>
        r.state === 'OPEN' &&
        r.owner === connected.owner &&
        r.repo === connected.repo &&
        Date.now() - r.stateCheckedAt.getTime() > STATE_TTL_MS,
    )
    .slice(0, MAX_REFRESHES);
  for (const row of stale) {
    try {
      const { state } = await connected.github.pullRequest(row.number);
      const checkedAt = new Date();
      await prisma.pullRequest.update({ where: { id: row.id }, data: { state, stateCheckedAt: checkedAt } });
      Object.assign(row, { state, stateCheckedAt: checkedAt });
    } catch {
      return;
    }
  }
}
