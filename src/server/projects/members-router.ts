import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { Prisma, type Role } from '@/server/db/client';
import { ownerProcedure, router, viewerProcedure } from '@/server/trpc';

const role = z.enum(['OWNER', 'EDITOR', 'VIEWER']);

export const NO_SUCH_USER = 'No user with that email: create one with npm run user:create';
export const LAST_OWNER = 'A project needs at least one owner: make another member owner first';

type Tx = Prisma.TransactionClient;

/**
 * Changes (role) or removes (null) one membership. The project row is locked
 * first, so two owners demoting each other at once cannot leave it ownerless.
 */
async function changeMember(tx: Tx, projectId: string, userId: string, next: Role | null) {
  await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${projectId}::uuid FOR UPDATE`;
  const member = await tx.projectMember.findUnique({ where: { projectId_userId: { projectId, userId } } });
  if (!member) throw new TRPCError({ code: 'NOT_FOUND', message: 'That user is not a member of this project' });
  if (member.role === 'OWNER' && next !== 'OWNER') {
    const owners = await tx.projectMember.count({ where: { projectId, role: 'OWNER' } });
    if (owners <= 1) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: LAST_OWNER });
  }
  if (next === null) await tx.projectMember.delete({ where: { projectId_userId: { projectId, userId } } });
  else if (next !== member.role)
    await tx.projectMember.update({ where: { projectId_userId: { projectId, userId } }, data: { role: next } });
  return { userId, role: next };
}

export const membersRouter = router({
  list: viewerProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.projectMember.findMany({
      where: { projectId: ctx.project.id },
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
      select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
    });
    return rows.map((r) => ({ userId: r.user.id, email: r.user.email, name: r.user.name, role: r.role, addedAt: r.createdAt }));
  }),

  /** Adds an existing user (users are created with `npm run user:create`). */
  add: ownerProcedure.input(z.object({ email: z.string().trim().min(3).max(320), role })).mutation(async ({ ctx, input }) => {
    const user = await ctx.db.user.findFirst({
      where: { email: { equals: input.email, mode: 'insensitive' } },
      select: { id: true, email: true },
    });
    if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: NO_SUCH_USER });
    try {
      await ctx.db.projectMember.create({ data: { projectId: ctx.project.id, userId: user.id, role: input.role } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new TRPCError({ code: 'CONFLICT', message: `${user.email} is already a member of this project` });
      }
      throw error;
    }
    return { userId: user.id, email: user.email, role: input.role };
  }),

  setRole: ownerProcedure
    .input(z.object({ userId: z.uuid(), role }))
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => changeMember(tx, ctx.project.id, input.userId, input.role))),

  remove: ownerProcedure
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => changeMember(tx, ctx.project.id, input.userId, null))),
});
