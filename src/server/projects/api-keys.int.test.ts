import { beforeAll, expect, it, vi } from 'vitest';
import { authenticateApiKey, hashApiKey } from '@/server/auth/api-keys';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import type { Context } from '@/server/trpc';
import { createCaller } from '@/server/router';
import { expectTrpcError } from '@/server/testing/expect-trpc-error';

const db = useScratchDatabase('whetstone_apikeys');

// API keys through the dashboard's router against a real, migrated scratch database.

const users: Record<string, NonNullable<Context['user']>> = {};
const as = (who: string) => createCaller({ db: db.prisma, user: users[who]! });
const P = { project: 'keys' } as const;

beforeAll(async () => {
  vi.stubEnv('WHETSTONE_TRANSPORT', 'postgres');
  const project = await db.prisma.project.create({ data: { name: 'Keys', slug: 'keys' } });
  await db.prisma.project.create({ data: { name: 'Elsewhere', slug: 'elsewhere' } });
  for (const [who, role] of [
    ['owner', 'OWNER'],
    ['editor', 'EDITOR'],
    ['viewer', 'VIEWER'],
    ['outsider', null],
  ] as const) {
    const row = await db.prisma.user.create({ data: { email: `${who}@example.com`, passwordHash: 'x' } });
    users[who] = { id: row.id, email: row.email, name: null };
    if (role) await db.prisma.projectMember.create({ data: { projectId: project.id, userId: row.id, role } });
  }
});

it('create returns the key once; only its hash and prefix are stored; list never shows either secret', async () => {
  const created = await as('owner').apiKeys.create({ ...P, name: '  production worker ' });
  expect(created.key).toMatch(/^ws_[A-Za-z0-9_-]{40,}$/);
  expect(created).toMatchObject({ name: 'production worker', prefix: created.key.slice(0, 10), revokedAt: null, lastUsedAt: null });

  const row = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
  expect(row.hash).toBe(hashApiKey(created.key));
  expect(row.hash).not.toContain(created.key);
  expect(JSON.stringify(row)).not.toContain(created.key);

  const list = await as('owner').apiKeys.list(P);
  expect(list).toHaveLength(1);
  expect(Object.keys(list[0]!).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);
  expect(JSON.stringify(list)).not.toContain(created.key);
  expect(JSON.stringify(list)).not.toContain(row.hash);

  // The key works for the SDK until revoked, and using it shows up as "last used".
  expect(await authenticateApiKey(db.prisma, `Bearer ${created.key}`)).toMatchObject({ apiKeyId: created.id });
  expect((await as('owner').apiKeys.list(P))[0]!.lastUsedAt).toBeInstanceOf(Date);
});

it('revoke sets revokedAt, the key stops working, and revoking again changes nothing', async () => {
  const created = await as('owner').apiKeys.create({ ...P, name: 'to revoke' });
  const revoked = await as('owner').apiKeys.revoke({ ...P, id: created.id });
  expect(revoked.revokedAt).toBeInstanceOf(Date);
  expect(await authenticateApiKey(db.prisma, `Bearer ${created.key}`)).toBeNull();
  const again = await as('owner').apiKeys.revoke({ ...P, id: created.id });
  expect(again.revokedAt).toEqual(revoked.revokedAt);
  expect((await as('owner').apiKeys.list(P)).find((k) => k.id === created.id)?.revokedAt).toEqual(revoked.revokedAt);
});

it('only owners list, create and revoke keys; non-members get NOT_FOUND', async () => {
  const before = await db.prisma.apiKey.count();
  for (const who of ['viewer', 'editor']) {
    await expectTrpcError(as(who).apiKeys.create({ ...P, name: 'nope' }), 'FORBIDDEN');
    await expectTrpcError(as(who).apiKeys.list(P), 'FORBIDDEN');
  }
  const someKey = (await as('owner').apiKeys.list(P))[0]!;
  await expectTrpcError(as('viewer').apiKeys.revoke({ ...P, id: someKey.id }), 'FORBIDDEN');
  await expectTrpcError(as('outsider').apiKeys.create({ ...P, name: 'nope' }), 'NOT_FOUND');
  await expectTrpcError(as('outsider').apiKeys.list(P), 'NOT_FOUND');
  await expectTrpcError(createCaller({ db: db.prisma, user: null }).apiKeys.list(P), 'UNAUTHORIZED');
  expect(await db.prisma.apiKey.count()).toBe(before);
});

it("another project's key id is NOT_FOUND, and input is validated", async () => {
  const elsewhere = await db.prisma.project.findUniqueOrThrow({ where: { slug: 'elsewhere' } });
  const foreign = await db.prisma.apiKey.create({ data: { projectId: elsewhere.id, name: 'f', prefix: 'ws_f', hash: 'foreign-hash' } });
  await expectTrpcError(as('owner').apiKeys.revoke({ ...P, id: foreign.id }), 'NOT_FOUND');
  expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: foreign.id } })).revokedAt).toBeNull();
  await expectTrpcError(as('owner').apiKeys.revoke({ ...P, id: 'nope' }), 'BAD_REQUEST');
  await expectTrpcError(as('owner').apiKeys.create({ ...P, name: '' }), 'BAD_REQUEST');
  await expectTrpcError(as('owner').apiKeys.create({ ...P, name: 'x'.repeat(101) }), 'BAD_REQUEST');
});
