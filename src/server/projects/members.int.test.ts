import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Role } from '@/server/db/client';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import type { Context } from '@/server/trpc';
import { createCaller } from '@/server/router';
import { expectTrpcError } from '@/server/testing/expect-trpc-error';
import { LAST_OWNER, NO_SUCH_USER } from './members-router';
import { slugify } from './router';

const db = useScratchDatabase('whetstone_members');

// Projects and members against a real, migrated scratch database.

const users: Record<string, NonNullable<Context['user']>> = {};
const as = (who: string) => createCaller({ db: db.prisma, user: users[who]! });
const P = { project: 'team' } as const;

beforeAll(async () => {
  for (const who of ['ada', 'bob', 'cy', 'dee']) {
    const row = await db.prisma.user.create({ data: { email: `${who}@example.com`, passwordHash: 'x' } });
    users[who] = { id: row.id, email: row.email, name: null };
  }
});

afterAll(async () => {
  vi.unstubAllEnvs();
});

it('slugify makes url-safe, non-empty slugs', () => {
  expect(slugify('  Support Bot (EU)! ')).toBe('support-bot-eu');
  expect(slugify('Café Ünïcode')).toBe('cafe-unicode');
  expect(slugify('!!!')).toBe('project');
  expect(slugify('x'.repeat(80))).toHaveLength(40);
});

describe('projects', () => {
  it('create makes the creator owner and gives unique slugs', async () => {
    const first = await as('ada').projects.create({ name: 'Team' });
    expect(first).toMatchObject({ slug: 'team', name: 'Team', role: 'OWNER' });
    const second = await as('bob').projects.create({ name: 'team' });
    expect(second.slug).toBe('team-2');
    expect(await as('ada').projects.list()).toEqual([{ id: first.id, name: 'Team', slug: 'team', role: 'OWNER' }]);
    expect((await as('bob').system.me()).projects.map((p) => p.slug)).toEqual(['team-2']);
    await expectTrpcError(as('ada').projects.create({ name: '   ' }), 'BAD_REQUEST');
    await expectTrpcError(as('ada').projects.create({ name: 'x'.repeat(101) }), 'BAD_REQUEST');
  });
});

describe('members', () => {
  const roles = async () => Object.fromEntries((await as('ada').members.list(P)).map((m) => [m.email.split('@')[0], m.role as Role]));

  it('an owner adds existing users by email, with a clear error for unknown ones', async () => {
    await as('ada').members.add({ ...P, email: 'BOB@example.com', role: 'EDITOR' });
    await as('ada').members.add({ ...P, email: 'cy@example.com', role: 'VIEWER' });
    expect(await roles()).toEqual({ ada: 'OWNER', bob: 'EDITOR', cy: 'VIEWER' });
    const unknown = await expectTrpcError(as('ada').members.add({ ...P, email: 'nobody@example.com', role: 'VIEWER' }), 'NOT_FOUND');
    expect(unknown.message).toBe(NO_SUCH_USER);
    expect(unknown.message).toContain('npm run user:create');
    await expectTrpcError(as('ada').members.add({ ...P, email: 'cy@example.com', role: 'EDITOR' }), 'CONFLICT');
    await expectTrpcError(as('ada').members.add({ ...P, email: 'cy@example.com', role: 'ADMIN' as Role }), 'BAD_REQUEST');
  });

  it('members see the list; only owners change it', async () => {
    expect((await as('cy').members.list(P)).map((m) => m.email)).toEqual(['ada@example.com', 'bob@example.com', 'cy@example.com']);
    await expectTrpcError(as('bob').members.add({ ...P, email: 'dee@example.com', role: 'OWNER' }), 'FORBIDDEN');
    await expectTrpcError(as('cy').members.setRole({ ...P, userId: users.cy!.id, role: 'OWNER' }), 'FORBIDDEN');
    await expectTrpcError(as('bob').members.remove({ ...P, userId: users.ada!.id }), 'FORBIDDEN');
    // Not a member: the project does not exist for them.
    await expectTrpcError(as('dee').members.list(P), 'NOT_FOUND');
    await expectTrpcError(as('dee').members.remove({ ...P, userId: users.ada!.id }), 'NOT_FOUND');
    // A user who is not a member of this project cannot be changed through it.
    await expectTrpcError(as('ada').members.setRole({ ...P, userId: users.dee!.id, role: 'EDITOR' }), 'NOT_FOUND');
  });

  it('the last owner can be neither demoted nor removed', async () => {
    const demote = await expectTrpcError(as('ada').members.setRole({ ...P, userId: users.ada!.id, role: 'EDITOR' }), 'PRECONDITION_FAILED');
    expect(demote.message).toBe(LAST_OWNER);
    await expectTrpcError(as('ada').members.remove({ ...P, userId: users.ada!.id }), 'PRECONDITION_FAILED');
    expect(await roles()).toMatchObject({ ada: 'OWNER' });

    // With a second owner, one of them may step down.
    await as('ada').members.setRole({ ...P, userId: users.bob!.id, role: 'OWNER' });
    await as('ada').members.setRole({ ...P, userId: users.ada!.id, role: 'VIEWER' });
    expect(await roles()).toEqual({ ada: 'VIEWER', bob: 'OWNER', cy: 'VIEWER' });
    await expectTrpcError(as('bob').members.remove({ ...P, userId: users.bob!.id }), 'PRECONDITION_FAILED');
  });

  it('two owners demoting each other at once leave one owner', async () => {
    await as('bob').members.setRole({ ...P, userId: users.ada!.id, role: 'OWNER' });
    const results = await Promise.allSettled([
      as('ada').members.setRole({ ...P, userId: users.bob!.id, role: 'EDITOR' }),
      as('bob').members.setRole({ ...P, userId: users.ada!.id, role: 'EDITOR' }),
    ]);
    expect(await db.prisma.projectMember.count({ where: { project: { slug: 'team' }, role: 'OWNER' } })).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
  });

  it('an owner removes a member, who then loses access', async () => {
    const owner = (await as('ada').members.list(P)).find((m) => m.role === 'OWNER')!.email.split('@')[0]!;
    await as(owner).members.remove({ ...P, userId: users.cy!.id });
    await expectTrpcError(as('cy').runs.list(P), 'NOT_FOUND');
    await expectTrpcError(as(owner).members.remove({ ...P, userId: users.cy!.id }), 'NOT_FOUND');
    await expectTrpcError(as(owner).members.remove({ ...P, userId: 'not-a-uuid' }), 'BAD_REQUEST');
  });
});
