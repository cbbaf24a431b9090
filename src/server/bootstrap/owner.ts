import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hashPassword, verifyPassword } from '@/server/auth/password';
import type { PrismaClient, Role } from '@/server/db/client';

export const FIRST_OWNER_EMAIL = 'owner@whetstone.local';

/** 18 random bytes as base64url: 24 characters, 144 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export type FirstOwner = { email: string; password: string; created: boolean } | { email: null };

/**
 * A fresh install has no users, so nobody could sign in: create the first owner
 * with a random password and keep it in a local file (0600) so `npm start` can
 * print it every time. Once users exist, the file's credentials are returned
 * only while they still work (a changed password is not shown again).
 */
export async function ensureFirstOwner(prisma: PrismaClient, projectId: string, credentialsFile: string): Promise<FirstOwner> {
  if ((await prisma.user.count()) === 0) {
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    // Two `npm start`s racing: the unique email lets only one create the owner.
    const created = await prisma.user
      .create({ data: { email: FIRST_OWNER_EMAIL, passwordHash, memberships: { create: { projectId, role: 'OWNER' satisfies Role } } } })
      .then(
        () => true,
        (error: unknown) => {
          if ((error as { code?: string }).code === 'P2002') return false;
          throw error;
        },
      );
    if (created) {
      mkdirSync(dirname(credentialsFile), { recursive: true });
      writeFileSync(credentialsFile, `${JSON.stringify({ email: FIRST_OWNER_EMAIL, password }, null, 2)}\n`, { mode: 0o600 });
      chmodSync(credentialsFile, 0o600); // `mode` only applies when the file is new
      return { email: FIRST_OWNER_EMAIL, password, created: true };
    }
  }
  const stored = readStoredCredentials(credentialsFile);
  if (stored) {
    const user = await prisma.user.findUnique({ where: { email: stored.email }, select: { passwordHash: true } });
    if (user && (await verifyPassword(user.passwordHash, stored.password))) return { ...stored, created: false };
  }
  return { email: null };
}

function readStoredCredentials(file: string): { email: string; password: string } | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { email?: unknown; password?: unknown };
    return typeof parsed.email === 'string' && typeof parsed.password === 'string'
      ? { email: parsed.email, password: parsed.password }
      : null;
  } catch {
    return null;
  }
}
