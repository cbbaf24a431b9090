import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@/server/db/client';
import { clientAddress } from './client-address';
import { hashPassword, verifyPassword } from './password';
import { checkAndRecordAttempt, describeWait, markAttemptSucceeded } from './sign-in-limiter';
import { createSession, type SessionUser } from './sessions';

export const WRONG_CREDENTIALS = 'Wrong email or password';

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; user: SessionUser }
  | { ok: false; status: 401 | 429; message: string; retryAfterSeconds?: number };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// An unknown email still costs one argon2 verification (against this hash of a
// random password, made once with the same parameters as real ones), so the
// response time does not tell which emails have accounts.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(randomBytes(18).toString('base64url')));

/**
 * Checks the rate limit and records the attempt (atomically), then the password. Unknown
 * email and wrong password get the same answer.
 */
export async function login(
  prisma: PrismaClient,
  input: { email: string; password: string; ip: string; userAgent?: string | null },
): Promise<LoginResult> {
  const email = normalizeEmail(input.email).slice(0, 320);
  const ip = input.ip || 'unknown';
  const dummy = getDummyHash(); // made (once) while the database is queried

  // Decided and recorded (as a failure) in one locked transaction: see sign-in-limiter.ts.
  const { decision: limit, attemptId } = await checkAndRecordAttempt(prisma, { email, ip });
  if (limit.limited) {
    return {
      ok: false,
      status: 429,
      message: `Too many sign-in attempts; try again in ${describeWait(limit.retryAfterSeconds)}`,
      retryAfterSeconds: limit.retryAfterSeconds,
    };
  }

  const user = email
    ? await prisma.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } })
    : null;
  const valid = await verifyPassword(user?.passwordHash ?? (await dummy), input.password);
  const success = Boolean(user && valid);
  if (success) await markAttemptSucceeded(prisma, attemptId);
  if (!user || !success) return { ok: false, status: 401, message: WRONG_CREDENTIALS };

  const { token, expiresAt } = await createSession(prisma, user.id, input.userAgent ?? undefined);
  return { ok: true, token, expiresAt, user: { id: user.id, email: user.email, name: user.name } };
}

/** The client's address for the sign-in limits (WHETSTONE_TRUSTED_PROXIES decides which X-Forwarded-For entry). */
export const clientIp = (request: Request): string => clientAddress(request);

/** Served over https, directly or behind a proxy that says so: then the cookie gets `Secure`. */
export function isHttps(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  if (forwarded) return forwarded === 'https';
  return new URL(request.url).protocol === 'https:';
}
