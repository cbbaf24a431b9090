import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '@/server/db/client';

export const SESSION_COOKIE = 'ws_session';
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

const sessionId = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a session and returns the token for the cookie; only its hash is stored. */
export async function createSession(prisma: PrismaClient, userId: string, userAgent?: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await prisma.session.create({ data: { id: sessionId(token), userId, expiresAt, userAgent: userAgent?.slice(0, 300) } });
  return { token, expiresAt };
}

export async function userForSession(prisma: PrismaClient, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const session = await prisma.session.findUnique({
    where: { id: sessionId(token) },
    select: { expiresAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  return session.user;
}

export async function deleteSession(prisma: PrismaClient, token: string | undefined): Promise<void> {
  if (token) await prisma.session.deleteMany({ where: { id: sessionId(token) } });
}

/**
 * Reads one cookie from a Cookie header. A value that is not valid percent-encoding
 * (`ws_session=%E0%A4%A`) is no cookie: its holder is signed out, not a 500.
 */
export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** httpOnly, SameSite=Lax (blocks cross-site POSTs), Secure when served over https. */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
