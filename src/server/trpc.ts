import { randomUUID } from 'node:crypto';
import { initTRPC, TRPCError, type TRPCDefaultErrorShape } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { readCookie, SESSION_COOKIE, userForSession, type SessionUser } from '@/server/auth/sessions';
import { roleAllows, type Access } from '@/server/auth/roles';
import { db, type PrismaClient } from '@/server/db/client';
import { DomainError, type DomainErrorKind } from '@/server/errors';
import { describeJsonProblem, unsafeJsonProblem } from '@/server/http/json-safety';

/**
 * tRPC for the dashboard (the SDK uses the REST routes under src/app/api/v1).
 * Every procedure is built from one of the tiers below; each tier records its
 * `access` in the procedure's meta, and the authorization matrix test walks
 * the router and checks every procedure against it.
 *
 *   publicProcedure         anyone who can reach the server
 *   authedProcedure         a signed-in user
 *   viewerProcedure         member of the project named by `input.project` (any role)
 *   editorProcedure         … with role editor or owner
 *   ownerProcedure          … with role owner
 *
 * A project the user is not a member of is "not found", never "forbidden".
 *
 * Every tier starts from `baseProcedure`, whose middleware turns a DomainError thrown anywhere
 * below it (tier middlewares, resolvers, the engine) into the TRPCError of its kind, with the
 * same message and the DomainError as `cause`; and, for mutations, refuses an input Postgres could
 * not store (NUL, lone surrogates, nesting over 100 levels: `unsafeJsonProblem`) with BAD_REQUEST
 * naming the path, before any tier or resolver sees it.
 *
 * Errors reach the browser through `errorFormatter`: a 500 that is not a DomainError (a Prisma or
 * database failure, a bug) is sent as "Internal server error (error id …)"; its detail is logged
 * once with that id. DomainErrors keep their messages (they are written for the caller).
 */

export interface Context {
  db: PrismaClient;
  user: SessionUser | null;
}

export interface Meta {
  access: Access;
}

/** Per-request context from the request's session cookie (fetch adapter, server components, tests). */
export async function createContext(opts: { cookieHeader: string | null; prisma?: PrismaClient }): Promise<Context> {
  const prisma = opts.prisma ?? db();
  return { db: prisma, user: await userForSession(prisma, readCookie(opts.cookieHeader, SESSION_COOKIE)) };
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    defaultMeta: { access: 'public' },
    errorFormatter({ shape, error, path }) {
      const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
      if (error.code !== 'INTERNAL_SERVER_ERROR' || error.cause instanceof DomainError) {
        return { ...shape, data: { ...shape.data, zodError } };
      }
      return hideInternalError(shape, error, path);
    },
  });

/** What the browser gets for an unexpected 500: a generic message with an id that finds the logged detail. */
function hideInternalError(shape: TRPCDefaultErrorShape, error: TRPCError, path: string | undefined) {
  const errorId = randomUUID();
  console.error(`[whetstone] tRPC ${path ?? '<no path>'} failed (error id ${errorId}):`, error.cause ?? error);
  const { stack: _stack, ...data } = shape.data;
  return {
    ...shape,
    message: `Internal server error (error id ${errorId})`,
    data: { ...data, zodError: null, errorId },
  };
}

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/** The one mapping of the server's errors to tRPC codes (the dashboard reads `error.data.code`). */
const TRPC_CODE: Record<DomainErrorKind, TRPCError['code']> = {
  bad_request: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  precondition_failed: 'PRECONDITION_FAILED',
  too_large: 'PAYLOAD_TOO_LARGE',
  internal: 'INTERNAL_SERVER_ERROR',
  bad_gateway: 'BAD_GATEWAY',
};

/** The tRPC code a DomainError is answered with. */
export function trpcCodeOf(err: DomainError): TRPCError['code'] {
  return TRPC_CODE[err.kind];
}

/** A DomainError as the TRPCError of its kind (same message, the DomainError as `cause`). */
export function domainErrorToTrpc(err: DomainError): TRPCError {
  return new TRPCError({ code: trpcCodeOf(err), message: err.message, cause: err });
}

/**
 * tRPC wraps whatever a procedure throws in a TRPCError (INTERNAL_SERVER_ERROR, the thrown error
 * as `cause`); a DomainError becomes the TRPCError of its kind instead. A TRPCError thrown on
 * purpose (with a DomainError as its cause or not) is left as it is.
 */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError && isWrapped(result.error, result.error.cause)) {
    throw domainErrorToTrpc(result.error.cause);
  }
  return result;
});

/** tRPC's own wrapping of a thrown non-TRPCError: INTERNAL_SERVER_ERROR with the error's message. */
function isWrapped(error: TRPCError, cause: DomainError): boolean {
  return error.code === 'INTERNAL_SERVER_ERROR' && error.message === cause.message;
}

/** Mutations only (queries change nothing, and read inputs are bounded by their schemas). */
const safeJsonInput = t.middleware(async ({ type, getRawInput, next }) => {
  if (type === 'mutation') {
    const problem = unsafeJsonProblem(await getRawInput());
    if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: describeJsonProblem({ ...problem, path: inputPath(problem.path) }) });
  }
  return next();
});

/** `body` → `input`, `items[2]` → `input.items[2]`: tRPC callers think of the procedure's input. */
function inputPath(path: string): string {
  if (path === 'body') return 'input';
  return path.startsWith('[') ? `input${path}` : `input.${path}`;
}

const baseProcedure = t.procedure.use(domainErrors).use(safeJsonInput);

export const publicProcedure = baseProcedure.meta({ access: 'public' });

export const authedProcedure = baseProcedure.meta({ access: 'authenticated' }).use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Every project-scoped procedure takes the project's slug as `project`. */
export const projectInput = z.object({ project: z.string().min(1).max(100) });

function projectTier(access: 'viewer' | 'editor' | 'owner') {
  return authedProcedure
    .meta({ access })
    .input(projectInput)
    .use(async ({ ctx, input, next }) => {
      const membership = await ctx.db.projectMember.findFirst({
        where: { userId: ctx.user.id, project: { slug: input.project } },
        select: { role: true, project: { select: { id: true, name: true, slug: true } } },
      });
      if (!membership) throw new TRPCError({ code: 'NOT_FOUND', message: `Project '${input.project}' not found` });
      if (!roleAllows(membership.role, access)) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: `This needs the ${access} role in project '${input.project}'; you are ${membership.role.toLowerCase()}`,
        });
      }
      return next({ ctx: { ...ctx, project: membership.project, role: membership.role } });
    });
}

export const viewerProcedure = projectTier('viewer');
export const editorProcedure = projectTier('editor');
export const ownerProcedure = projectTier('owner');
