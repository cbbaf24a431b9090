import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '@/server/db/client';

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

/**
 * Keys this process accepted in the last API_KEY_CACHE_MS: a worker or a busy client sends many
 * requests a second, and each read the same row. Revoking a key in this process forgets them at
 * once (forgetApiKeys); another web process stops accepting a revoked key within API_KEY_CACHE_MS.
 */
export const API_KEY_CACHE_MS = 2_000;
const accepted = new Map<string, { principal: ApiPrincipal; until: number }>();

export function forgetApiKeys(): void {
  accepted.clear();
}

/** Resolves a bearer token to its project, or null when missing, unknown or revoked. */
export async function authenticateApiKey(prisma: PrismaClient, authorization: string | null): Promise<ApiPrincipal | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) return null;
  const hash = hashApiKey(match[1]);
  const hit = accepted.get(hash);
  if (hit && hit.until > Date.now()) return hit.principal;
  const row = await prisma.apiKey.findUnique({ where: { hash } });
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const principal = { projectId: row.projectId, apiKeyId: row.id };
  if (accepted.size > 1_000) accepted.clear();
  accepted.set(hash, { principal, until: Date.now() + API_KEY_CACHE_MS });
  return principal;
}
