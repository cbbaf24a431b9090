import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '@/server/auth/password';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { ensureFirstOwner } from './owner';
import { ensureDefaultProject } from './project';

const db = useScratchDatabase('wstest');

const dir = mkdtempSync(join(tmpdir(), 'whetstone-owner-'));
const file = join(dir, 'owner-credentials.json');

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ensureFirstOwner', () => {
  it('creates one owner with a random password, keeps it private, and returns it while it still works', async () => {
    const project = await ensureDefaultProject(db.prisma);
    const first = await ensureFirstOwner(db.prisma, project.id, file);
    expect(first).toMatchObject({ email: 'owner@whetstone.local', created: true });
    const password = (first as { password: string }).password;
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email: 'owner@whetstone.local' }, include: { memberships: true } });
    expect(await verifyPassword(user.passwordHash, password)).toBe(true);
    expect(user.memberships).toEqual([expect.objectContaining({ projectId: project.id, role: 'OWNER' })]);

    // A second start finds the same credentials and creates nobody.
    expect(await ensureFirstOwner(db.prisma, project.id, file)).toEqual({ email: 'owner@whetstone.local', password, created: false });
    expect(await db.prisma.user.count()).toBe(1);

    // Without the credentials file (say, another machine) the password is unknown and never invented.
    const other = await ensureFirstOwner(db.prisma, project.id, join(dir, 'missing.json'));
    expect(other).toEqual({ email: null });

    // Once the password is changed, the stale file is not shown any more.
    await db.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword('a-new-password-123') } });
    expect(await ensureFirstOwner(db.prisma, project.id, file)).toEqual({ email: null });
    writeFileSync(file, 'not json');
    expect(await ensureFirstOwner(db.prisma, project.id, file)).toEqual({ email: null });
  });
});
