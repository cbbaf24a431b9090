import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/server/auth/password';
import type { PrismaClient, Role } from '../../src/server/db/client';
import { createCaller } from '../../src/server/router';

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** A user with a random password and the given role in the project. */
export async function createUser(
  prisma: PrismaClient,
  opts: { email?: string; role: Role | Lowercase<Role>; projectId: string },
): Promise<TestUser> {
  const email = (opts.email ?? `user-${randomBytes(4).toString('hex')}@example.test`).trim().toLowerCase();
  const password = randomBytes(18).toString('base64url');
  const user = await prisma.user.create({
    data: {
      email,
      passwordHash: await hashPassword(password),
      memberships: { create: { projectId: opts.projectId, role: opts.role.toUpperCase() as Role } },
    },
    select: { id: true },
  });
  return { id: user.id, email, password };
}

/** Signs in over the real endpoint; returns a Cookie header value for later requests. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`Sign-in as ${email} failed: HTTP ${res.status} ${await res.text()}`);
  const setCookie = res.headers.getSetCookie();
  const cookie = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('ws_session='));
  if (!cookie) throw new Error(`Sign-in as ${email} set no session cookie (got: ${setCookie.join(' | ') || 'none'})`);
  return cookie;
}

/** A new member of the stack's project with `role`, and a tRPC caller acting as them in the project (its slug). */
export async function memberCaller(stack: { prisma: PrismaClient; projectId: string }, role: Role | Lowercase<Role>) {
  const user = await createUser(stack.prisma, { role, projectId: stack.projectId });
  const caller = createCaller({ db: stack.prisma, user: { id: user.id, email: user.email, name: null } });
  const project = (await stack.prisma.project.findUniqueOrThrow({ where: { id: stack.projectId }, select: { slug: true } })).slug;
  return { user, caller, project };
}
