import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createApiKey, hashApiKey } from '../../src/server/auth/api-keys';
import type { PrismaClient } from '../../src/server/db/client';

/**
 * Keys are stored hashed, so the only way to print the same key on every
 * `npm start` is to keep it in a local, git-ignored file. A revoked or unknown
 * key is replaced.
 */
export async function demoApiKey(prisma: PrismaClient, projectId: string, file: string): Promise<string> {
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    const row = await prisma.apiKey.findUnique({ where: { hash: hashApiKey(key) } });
    if (row && !row.revokedAt && row.projectId === projectId) return key;
  }
  const { key } = await createApiKey(prisma, projectId, 'demo (npm start)');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
