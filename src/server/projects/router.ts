import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { Prisma, type PrismaClient, type Role } from '@/server/db/client';
import { authedProcedure, router } from '@/server/trpc';

export interface MyProject {
  id: string;
  name: string;
  slug: string;
  role: Role;
}

/** The user's projects (oldest first) with their role in each. */
export async function myProjects(db: PrismaClient, userId: string): Promise<MyProject[]> {
  const rows = await db.projectMember.findMany({
    where: { userId },
    orderBy: [{ project: { createdAt: 'asc' } }, { projectId: 'asc' }],
    select: { role: true, project: { select: { id: true, name: true, slug: true } } },
  });
  return rows.map((r) => ({ ...r.project, role: r.role }));
}

/** "My Project!" → "my-project"; never empty, at most 40 characters. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'project';
}

const isUniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';

export const projectsRouter = router({
  list: authedProcedure.query(({ ctx }) => myProjects(ctx.db, ctx.user.id)),

  /** Creates a project with a unique slug derived from its name; the creator becomes its owner. */
  create: authedProcedure
    .input(z.object({ name: z.string().trim().min(1, 'Give the project a name').max(100) }))
    .mutation(async ({ ctx, input }) => {
      const base = slugify(input.name);
      for (let n = 1; n <= 50; n++) {
        const slug = n === 1 ? base : `${base}-${n}`;
        if (await ctx.db.project.findUnique({ where: { slug }, select: { id: true } })) continue;
        try {
          const project = await ctx.db.project.create({
            data: { name: input.name, slug, members: { create: { userId: ctx.user.id, role: 'OWNER' } } },
            select: { id: true, name: true, slug: true },
          });
          return { ...project, role: 'OWNER' as Role };
        } catch (error) {
          if (!isUniqueViolation(error)) throw error; // taken meanwhile: try the next suffix
        }
      }
      throw new TRPCError({ code: 'CONFLICT', message: 'Could not find a free slug for this name; choose another name' });
    }),
});
