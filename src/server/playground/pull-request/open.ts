// "Open pull request" from a playground variant or a what-if report: preview (the confirm step),
// open (a new branch and pull request, or one more commit on the task's open pull request), and
// the patch download.
//
// Order matters: everything that can fail for a reason the user can fix (no access, file missing,
// call not found, unsupported default, branch exists) happens before the first write, and the
// commit becomes visible only when a branch is pointed at it — so a failure pushes nothing.
import type { PrismaClient } from '@/server/db/client';
import { env } from '@/server/env';
import { commitMessage, pullRequestBody, pullRequestTitle, type PullRequestText } from './body';
import { connectedRepository, requireRepository, type Connected } from './connection';
import { badRequest, precondition } from '@/server/errors';
import { branchExists } from './github';
import { localSourceRoot, readLocalSource } from './local-source';
import { branchName, repositoryPath } from './paths';
import { planRewrite, type Plan } from './plan';
import { variantFromReport } from './from-report';
import { findOpenPullRequest, recordOpened, recordPushed, type PullRequestView } from './records';
import { loadVariant, type Variant } from './variant';
import type { WhatIfBodyReport } from './what-if-section';

export type OpenMode = 'new' | 'push';

export interface Actor {
  prisma: PrismaClient;
  projectId: string;
  /** The project's slug (links in the body). */
  project: string;
  userId?: string;
  userEmail?: string;
}

/**
 * What a pull request is opened from: a playground variant (its PlaygroundRun id or its run's id),
 * or a what-if report — then one of its rows (`playgroundRunId`, else the first whose task
 * succeeded) stands for the change, and the report's summary goes in the body.
 */
export type PullRequestFrom = string | { playgroundRunId?: string; reportId?: string };

interface Chosen {
  variant: Variant;
  whatIf?: WhatIfBodyReport;
}

async function choose(actor: Actor, from: PullRequestFrom): Promise<Chosen> {
  const choice = typeof from === 'string' ? { playgroundRunId: from } : from;
  if (choice.reportId) {
    const { playgroundRunId, report } = await variantFromReport(actor.prisma, actor.projectId, choice.reportId, choice.playgroundRunId);
    return { variant: await loadVariant(actor.prisma, actor.projectId, playgroundRunId), whatIf: report };
  }
  if (!choice.playgroundRunId)
    throw badRequest('Name the playground variant (playgroundRunId) or the what-if report (reportId) to open the pull request from');
  return { variant: await loadVariant(actor.prisma, actor.projectId, choice.playgroundRunId) };
}

/** The confirm step: what would be committed, against what, and whether the task already has an open pull request. */
export async function previewPullRequest(actor: Actor, from: PullRequestFrom, mode: OpenMode = 'new') {
  const chosen = await choose(actor, from);
  const { variant } = chosen;
  const connected = await connectedRepository(actor.prisma, actor.projectId);
  if (!connected) {
    const plan = await planFromLocalSource(variant);
    return {
      connected: false as const,
      repository: null,
      mode: 'new' as const,
      branch: null,
      existingPullRequest: null,
      ...summary(actor, chosen, plan),
    };
  }
  const existing = await findOpenPullRequest(actor.prisma, connected, actor.projectId, variant.workflowId, variant.taskName);
  if (mode === 'push' && !existing) throw noOpenPullRequest(variant);
  const target = mode === 'push' ? await branchTarget(connected, existing!.branch) : await baseTarget(connected);
  const plan = await planFromGitHub(connected, variant, target);
  return {
    connected: true as const,
    repository: { owner: connected.owner, repo: connected.repo, baseBranch: connected.baseBranch, pathPrefix: connected.pathPrefix },
    mode,
    branch: mode === 'push' ? existing!.branch : branchName(variant.workflowName, variant.taskName, variant.id),
    existingPullRequest: existing,
    ...summary(actor, chosen, plan),
  };
}

/** Commits the rewrite and opens the pull request (mode 'new'), or pushes one more commit to the task's open one (mode 'push'). */
export async function openPullRequest(
  actor: Actor,
  from: PullRequestFrom,
  mode: OpenMode,
): Promise<{ mode: OpenMode; commitSha: string; pullRequest: PullRequestView }> {
  const chosen = await choose(actor, from);
  const { variant } = chosen;
  const connected = await requireRepository(actor.prisma, actor.projectId);
  const { github } = connected;
  const author = { createdById: actor.userId, sourceRunId: variant.sourceRunId, playgroundRunId: variant.id };

  if (mode === 'push') {
    const existing = await findOpenPullRequest(actor.prisma, connected, actor.projectId, variant.workflowId, variant.taskName);
    if (!existing) throw noOpenPullRequest(variant);
    const target = await branchTarget(connected, existing.branch);
    const plan = await planFromGitHub(connected, variant, target);
    const sha = await github.commitFiles(
      target.sha,
      plan.files.map(({ path, after }) => ({ path, content: after })),
      commitMessage(text(actor, chosen, plan)),
    );
    await github.updateBranch(existing.branch, sha);
    return { mode, commitSha: sha, pullRequest: await recordPushed(actor.prisma, existing.id, { ...author, sha }) };
  }

  const branch = branchName(variant.workflowName, variant.taskName, variant.id);
  const base = await baseTarget(connected);
  if (await github.branchHead(branch)) throw branchExists(branch, github.fullName);
  const plan = await planFromGitHub(connected, variant, base);
  const body = text(actor, chosen, plan);
  const sha = await github.commitFiles(
    base.sha,
    plan.files.map(({ path, after }) => ({ path, content: after })),
    commitMessage(body),
  );
  await github.createBranch(branch, sha);
  let opened;
  try {
    opened = await github.createPullRequest({
      title: pullRequestTitle(body),
      body: pullRequestBody(body),
      branch,
      base: connected.baseBranch,
    });
  } catch (error) {
    // Without its pull request the branch is only in the way of the next try.
    await github.deleteBranch(branch).catch(() => {});
    throw error;
  }
  const pullRequest = await recordOpened(actor.prisma, {
    ...author,
    projectId: actor.projectId,
    workflowId: variant.workflowId,
    taskName: variant.taskName,
    owner: connected.owner,
    repo: connected.repo,
    number: opened.number,
    url: opened.url,
    state: opened.state,
    branch,
    base: connected.baseBranch,
    headSha: sha,
  });
  return { mode, commitSha: sha, pullRequest };
}

/** "Download patch": a `git apply`-able diff of the rewrite, from the source the server reads on its own disk. */
export async function patchFromLocalSource(actor: Actor, playgroundRunId: string) {
  const variant = await loadVariant(actor.prisma, actor.projectId, playgroundRunId);
  const plan = await planFromLocalSource(variant);
  return {
    filename: `${branchName(variant.workflowName, variant.taskName, variant.id).replace('/', '-')}.patch`,
    patch: plan.files.map((f) => f.diff).join(''),
    files: plan.files.map((f) => f.path),
  };
}

interface Target {
  sha: string;
  label: string;
}

async function baseTarget(connected: Connected): Promise<Target> {
  const sha = await connected.github.branchHead(connected.baseBranch);
  if (!sha)
    throw precondition(`Base branch '${connected.baseBranch}' not found in ${connected.github.fullName}: fix it in Settings → Repository`);
  return { sha, label: `branch '${connected.baseBranch}'` };
}

async function branchTarget(connected: Connected, branch: string): Promise<Target> {
  const sha = await connected.github.branchHead(branch);
  if (!sha)
    throw precondition(
      `The pull request's branch '${branch}' no longer exists in ${connected.github.fullName}: open a new pull request instead`,
    );
  return { sha, label: `branch '${branch}'` };
}

/** Reads every file at one commit (not the moving branch), so all of them come from the same snapshot. */
async function planFromGitHub(connected: Connected, variant: Variant, target: Target): Promise<Plan> {
  const plan = await planRewrite(
    variant.variables,
    (file) => repositoryPath(connected.pathPrefix, file),
    (path) => connected.github.readFile(path, target.sha, target.label),
  );
  if (!plan.files.length)
    throw badRequest(`The code at ${target.label} of ${connected.github.fullName} already has these values: there is nothing to commit`);
  return plan;
}

async function planFromLocalSource(variant: Variant): Promise<Plan> {
  const root = localSourceRoot();
  const plan = await planRewrite(
    variant.variables,
    (file) => file,
    (path) => readLocalSource(root, path),
  );
  if (!plan.files.length) throw badRequest(`The source under ${root} already has these values: there is nothing to change`);
  return plan;
}

function text(actor: Actor, { variant, whatIf }: Chosen, plan: Plan): PullRequestText {
  return {
    workflow: variant.workflowName,
    task: variant.taskName,
    project: actor.project,
    publicUrl: env().WHETSTONE_PUBLIC_URL,
    sourceRunId: variant.sourceRunId,
    variantRunId: variant.runId,
    variant: variant.variant,
    openedBy: actor.userEmail,
    variables: plan.variables,
    sourceOutput: variant.sourceOutput,
    variantOutput: variant.variantOutput,
    whatIf,
  };
}

function summary(actor: Actor, chosen: Chosen, plan: Plan) {
  const { variant } = chosen;
  const body = text(actor, chosen, plan);
  return {
    workflowName: variant.workflowName,
    taskName: variant.taskName,
    sourceRunId: variant.sourceRunId,
    variantRunId: variant.runId,
    playgroundRunId: variant.id,
    /** Set when opened from a what-if report. */
    reportId: chosen.whatIf?.id ?? null,
    title: pullRequestTitle(body),
    body: pullRequestBody(body),
    files: plan.files.map((f) => ({ path: f.path, diff: f.diff, variables: f.variables })),
    variables: plan.variables.map((v) => ({
      name: v.name,
      path: v.path,
      line: v.line,
      /** Where the default's literal is (another file when it is imported). */
      editPath: v.edit.path,
      editLine: v.edit.line,
      defaultValue: v.defaultValue,
      value: v.value,
      before: v.before,
      after: v.after,
    })),
  };
}

const noOpenPullRequest = (variant: Variant) =>
  precondition(
    `There is no open pull request for task '${variant.taskName}' of workflow '${variant.workflowName}' to push to: open a new one`,
  );
