import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db';

// Keys are 32 random bytes, so a fast hash is enough (no dictionary to attack);
// passwords (later) get a memory-hard hash instead.
const KEY_PREFIX = 'ws_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createApiKey(prisma: PrismaClient, projectId: string, name: string): Promise<{ id: string; key: string }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await prisma.apiKey.create({
    data: { projectId, name, prefix: key.slice(0, 10), hash: hashApiKey(key) },
  });
  return { id: row.id, key };
}

export interface ApiPrincipal {
  projectId: string;
  apiKeyId: string;
}

/** Resolves a bearer token to its project, or null when missing, unknown or revoked. */
export async function authenticateApiKey(prisma: PrismaClient, authorization: string | null): Promise<ApiPrincipal | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) return null;
  const row = await prisma.apiKey.findUnique({ where: { hash: hashApiKey(match[1]) } });
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { projectId: row.projectId, apiKeyId: row.id };
}
