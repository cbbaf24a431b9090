import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { db, type PrismaClient } from './db';

/**
 * tRPC setup for the dashboard API (the SDK talks to the REST routes under
 * src/app/api/v1 instead). Procedures are built in tiers, each one a
 * middleware on top of the previous:
 *
 *   publicProcedure      anyone who can reach the server
 *   (protectedProcedure) a signed-in user: slots in here when auth lands
 *   projectProcedure     resolves the project the request acts on
 */

export interface Context {
  db: PrismaClient;
}

/** Per-request context: the fetch adapter and server components both call this. */
export function createContext(): Context {
  return { db: db() };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

// ---- tier 0: public ---------------------------------------------------------

export const publicProcedure = t.procedure;

// ---- tier 1: authenticated (placeholder) -------------------------------------
// When auth arrives: `export const protectedProcedure = publicProcedure.use(requireSession)`
// and build projectProcedure on top of it instead of publicProcedure.

// ---- tier 2: project-scoped --------------------------------------------------

/** The project every dashboard request uses until projects and auth land. */
export const DEFAULT_PROJECT_SLUG = 'default';

export interface ProjectRef {
  id: string;
  name: string;
  slug: string;
}

/** The project whose slug is 'default', or null when nothing has registered it yet. */
export function findDefaultProject(prisma: PrismaClient): Promise<ProjectRef | null> {
  return prisma.project.findUnique({
    where: { slug: DEFAULT_PROJECT_SLUG },
    select: { id: true, name: true, slug: true },
  });
}

/**
 * Adds `ctx.project`: today the default project, or null when it does not exist
 * yet — procedures then return empty results. Nothing is created here: the
 * dashboard only reads.
 */
export const projectProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const project = await findDefaultProject(ctx.db);
  return next({ ctx: { ...ctx, project } });
});
