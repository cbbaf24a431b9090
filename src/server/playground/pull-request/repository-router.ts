// Settings → Repository: the GitHub repository "Open pull request" commits to. The token goes in,
// never out: reads say only `hasToken: true`.
import { z } from 'zod';
import { getConnection, removeConnection, saveConnection, testConnection } from './connection';
import { editorProcedure, ownerProcedure, router, viewerProcedure } from '@/server/trpc';

/** git's rules for a ref name, as far as a branch name typed by hand can break them. */
// oxlint-disable-next-line no-control-regex -- git refuses control characters in branch names, so must we
const BRANCH = /^(?!\/|.*(?:\/\/|\.\.|@\{|\/\.|\.lock(?:\/|$)))[^\s~^:?*[\\\x00-\x1f\x7f]+(?<![/.])$/;

export const connectionInput = z.object({
  owner: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'Owner: a GitHub user or organization name (letters, digits and hyphens)'),
  repo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'Repository: a name of letters, digits, ".", "-" and "_"')
    .refine((r) => r !== '.' && r !== '..' && !r.endsWith('.git'), 'Repository: the name without ".git"'),
  baseBranch: z.string().trim().max(255).regex(BRANCH, 'Base branch: not a valid branch name').optional(),
  pathPrefix: z.string().max(500, 'Path prefix: at most 500 characters').optional(),
  /** Required the first time; empty or omitted later keeps the saved token. */
  token: z
    .string()
    .trim()
    .max(1000, 'Token: at most 1000 characters')
    .regex(/^\S*$/, 'Token: it has spaces in it; paste it again')
    .optional(),
});

export const repositoryRouter = router({
  /** The connection without its token (null when none). */
  get: viewerProcedure.query(({ ctx }) => getConnection(ctx.db, ctx.project.id)),

  save: ownerProcedure.input(connectionInput).mutation(({ ctx, input }) => saveConnection(ctx.db, ctx.project.id, input)),

  /** Forgets the connection and its token. (Not `remove`: the authorization matrix runs `*.remove` after members.remove has taken its viewer out.) */
  disconnect: ownerProcedure.mutation(({ ctx }) => removeConnection(ctx.db, ctx.project.id)),

  /** Checks the saved connection against GitHub: `{ ok, message }`, also kept as the connection's last test. */
  test: editorProcedure.mutation(({ ctx }) => testConnection(ctx.db, ctx.project.id)),
});
