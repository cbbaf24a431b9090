import type { PrismaClient } from '@/server/db/client';

/**
 * Sign-in rate limiting, from the LoginAttempt rows (so it holds across web
 * processes and restarts). In any 15-minute window an email may fail 5 times
 * (counting only failures since its last successful sign-in) and a client
 * address 30 times; beyond that, sign-in is refused with 429 until the oldest
 * counted failure leaves the window.
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

export interface AttemptRecord {
  success: boolean;
  createdAt: Date;
}

export type RateLimitDecision = { limited: false } | { limited: true; retryAfterSeconds: number };

/**
 * Pure window logic. `emailAttempts`: that email's attempts (any order, may
 * include older rows); `ipAttempts`: that address's attempts. Returns how long
 * to wait when either limit is reached.
 */
export function rateLimitDecision(input: { emailAttempts: AttemptRecord[]; ipAttempts: AttemptRecord[]; now: Date }): RateLimitDecision {
  const since = input.now.getTime() - LOGIN_WINDOW_MS;
  const inWindow = (rows: AttemptRecord[]) =>
    rows.filter((r) => r.createdAt.getTime() > since).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());

  const email = inWindow(input.emailAttempts);
  const lastSuccess = email.findLastIndex((r) => r.success);
  const emailFailures = email.slice(lastSuccess + 1).filter((r) => !r.success);
  const ipFailures = inWindow(input.ipAttempts).filter((r) => !r.success);

  let waitMs = 0;
  for (const [failures, max] of [
    [emailFailures, MAX_FAILURES_PER_EMAIL],
    [ipFailures, MAX_FAILURES_PER_IP],
  ] as const) {
    if (failures.length < max) continue;
    // The limit lifts once enough failures have aged out to leave max - 1.
    const freeing = failures[failures.length - max]!;
    waitMs = Math.max(waitMs, freeing.createdAt.getTime() + LOGIN_WINDOW_MS - input.now.getTime());
  }
  return waitMs > 0 ? { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { limited: false };
}

/**
 * Reads only what the decision needs (the email's last success and the newest
 * failures after it, the address's newest failures), so a flood of attempts
 * does not make each check slower.
 */
export async function checkLoginRateLimit(prisma: PrismaClient, email: string, ip: string, now = new Date()): Promise<RateLimitDecision> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const select = { success: true, createdAt: true } as const;
  const lastSuccess = await prisma.loginAttempt.findFirst({
    where: { email, success: true, createdAt: { gt: since } },
    select,
    orderBy: { createdAt: 'desc' },
  });
  const [emailFailures, ipFailures] = await Promise.all([
    prisma.loginAttempt.findMany({
      where: { email, success: false, createdAt: { gt: lastSuccess?.createdAt ?? since } },
      select,
      orderBy: { createdAt: 'desc' },
      take: MAX_FAILURES_PER_EMAIL,
    }),
    prisma.loginAttempt.findMany({
      where: { ip, success: false, createdAt: { gt: since } },
      select,
      orderBy: { createdAt: 'desc' },
      take: MAX_FAILURES_PER_IP,
    }),
  ]);
  return rateLimitDecision({ emailAttempts: lastSuccess ? [lastSuccess, ...emailFailures] : emailFailures, ipAttempts: ipFailures, now });
}

/** Records one attempt; now and then drops rows too old to matter (older than a day). */
export async function recordLoginAttempt(prisma: PrismaClient, attempt: { email: string; ip: string; success: boolean }): Promise<void> {
  await prisma.loginAttempt.create({
    data: { email: attempt.email.slice(0, 320), ip: attempt.ip.slice(0, 100), success: attempt.success },
  });
  if (Math.random() < 0.02) {
    await prisma.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - 24 * 3600_000) } } });
  }
}

/** "15 minutes", "1 minute". */
export function describeWait(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}
