import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { onApiKeyRevoked } from '@/server/queue/project-queues';
import { createApiKey, forgetApiKeys } from '@/server/auth/api-keys';
import { ownerProcedure, router } from '@/server/trpc';

/** What the dashboard may see of a key: never its hash. */
const keySelect = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export const apiKeysRouter = router({
  list: ownerProcedure.query(({ ctx }) =>
    ctx.db.apiKey.findMany({ where: { projectId: ctx.project.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: keySelect }),
  ),

  /** The only time the key itself is returned: only its SHA-256 is stored. */
  create: ownerProcedure
    .input(z.object({ name: z.string().trim().min(1, 'Give the key a name').max(100) }))
    .mutation(async ({ ctx, input }) => {
      const { id, key } = await createApiKey(ctx.db, ctx.project.id, input.name);
      const row = await ctx.db.apiKey.findUniqueOrThrow({ where: { id }, select: keySelect });
      return { ...row, key };
    }),

  /** Revoking is immediate and final; revoking a revoked key changes nothing. */
  revoke: ownerProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const where = { id: input.id, projectId: ctx.project.id };
    await ctx.db.apiKey.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() } });
    // This process accepts it no more from now on; other web processes within API_KEY_CACHE_MS.
    forgetApiKeys();
    const row = await ctx.db.apiKey.findFirst({ where, select: keySelect });
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `API key ${input.id} not found in this project` });
    // With no active key left, the project's Redis ACL user is disabled and its connections closed.
    await onApiKeyRevoked(ctx.db, ctx.project.id).catch((error: unknown) => {
      console.error(`[whetstone] could not disable the queue credentials of project ${ctx.project.slug}:`, error);
    });
    return row;
  }),
});
