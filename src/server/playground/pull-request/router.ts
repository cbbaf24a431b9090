// "Open pull request" on a playground variant or a what-if report: preview (confirm), open, patch
// download, and the pull requests of a run. `playgroundRunId` is the variant's PlaygroundRun id or
// its run's id; `reportId` a what-if report (its first succeeded row, or `playgroundRunId` among its rows).
import { z } from 'zod';
import { isUuid } from '@/server/engine/ids';
import { notFound } from '@/server/errors';
import { connectedRepository } from './connection';
import { openPullRequest, patchFromLocalSource, previewPullRequest, type Actor } from './open';
import { pullRequestsForRun } from './records';
import { editorProcedure, router, viewerProcedure } from '@/server/trpc';

const variantInput = z.object({ playgroundRunId: z.uuid() });
const mode = z.enum(['new', 'push']);
/** A variant, or a what-if report (optionally with the row to use). */
const fromShape = { playgroundRunId: z.uuid().optional(), reportId: z.uuid().optional() };
type From = { playgroundRunId?: string; reportId?: string };
const namesSource = (input: From) => input.playgroundRunId !== undefined || input.reportId !== undefined;
const sourceMissing = { message: 'Give playgroundRunId (a playground variant) or reportId (a what-if report)' };
const from = (input: From): From => ({ playgroundRunId: input.playgroundRunId, reportId: input.reportId });

type Ctx = { db: Actor['prisma']; project: { id: string; slug: string }; user: { id: string; email: string } };
const actor = (ctx: Ctx): Actor => ({
  prisma: ctx.db,
  projectId: ctx.project.id,
  project: ctx.project.slug,
  userId: ctx.user.id,
  userEmail: ctx.user.email,
});

export const pullRequestsRouter = router({
  /**
   * The confirm step: unified diff per file, each variable before → after, title and body, the
   * task's open pull request if any, and whether GitHub is connected (if not: the diff of the
   * local source, as "Download patch" would give). mode 'push' diffs against that pull request's branch.
   * From a what-if report, the body also has the report's totals, rows and link.
   */
  preview: editorProcedure
    .input(z.object({ ...fromShape, mode: mode.default('new') }).refine(namesSource, sourceMissing))
    .query(({ ctx, input }) => previewPullRequest(actor(ctx), from(input), input.mode)),

  /** 'new': branch whetstone/<workflow>-<task>-<id>, one commit, a pull request. 'push': one more commit on the task's open pull request. */
  open: editorProcedure
    .input(z.object({ ...fromShape, mode }).refine(namesSource, sourceMissing))
    .mutation(({ ctx, input }) => openPullRequest(actor(ctx), from(input), input.mode)),

  /** A `git apply`-able patch computed from the source beside the server (no GitHub needed). */
  patch: editorProcedure.input(variantInput).query(({ ctx, input }) => patchFromLocalSource(actor(ctx), input.playgroundRunId)),

  /** Pull requests this run is the source or a variant of, newest first, with their commits. */
  forRun: viewerProcedure.input(z.object({ runId: z.string().min(1).max(100) })).query(async ({ ctx, input }) => {
    const run = isUuid(input.runId)
      ? await ctx.db.workflowRun.findFirst({ where: { id: input.runId, projectId: ctx.project.id }, select: { id: true } })
      : null;
    if (!run) throw notFound(`Run ${input.runId} not found in this project`);
    const connected = await connectedRepository(ctx.db, ctx.project.id).catch(() => null);
    return pullRequestsForRun(ctx.db, ctx.project.id, run.id, connected);
  }),
});
