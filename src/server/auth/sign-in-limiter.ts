import type { PrismaClient } from '@/server/db/client';

/**
 * Sign-in rate limiting, from the LoginAttempt rows (so it holds across web processes and
 * restarts). Three limits, each over a sliding window:
 *
 *   one email from one address   5 failures / 15 min, counting failures since the email's last success
 *   one address, any emails      30 failures / 15 min
 *   one email, any addresses     50 failures / 60 min, since the email's last success (the slower, global backoff)
 *
 * Someone who knows an email but has one address locks only that (email, address) pair, not the
 * owner; spraying one account from many addresses still meets the per-email limit. Beyond a
 * limit, sign-in is refused with 429 until enough counted failures leave its window.
 *
 * `login.ts` checks and records in one transaction under advisory locks on the email and the
 * address (`checkAndRecordAttempt`): parallel guesses queue behind each other and each sees the
 * others' attempts, so they cannot share one budget twice.
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const EMAIL_WINDOW_MS = 60 * 60_000;
export const MAX_FAILURES_PER_EMAIL_AND_ADDRESS = 5;
export const MAX_FAILURES_PER_IP = 30;
export const MAX_FAILURES_PER_EMAIL = 50;

export interface AttemptRecord {
  success: boolean;
  createdAt: Date;
}

export type RateLimitDecision = { limited: false } | { limited: true; retryAfterSeconds: number };

interface Limit {
  attempts: AttemptRecord[];
  max: number;
  windowMs: number;
  /** A success ends the count (only failures after the last success count). */
  resetBySuccess: boolean;
}

/**
 * Pure window logic. `pairAttempts`: this email's attempts from this address; `emailAttempts`:
 * this email's attempts from anywhere; `ipAttempts`: this address's attempts (any order, may
 * include older rows). Returns how long to wait when a limit is reached.
 */
export function rateLimitDecision(input: {
  pairAttempts: AttemptRecord[];
  emailAttempts?: AttemptRecord[];
  ipAttempts: AttemptRecord[];
  now: Date;
}): RateLimitDecision {
  const limits: Limit[] = [
    { attempts: input.pairAttempts, max: MAX_FAILURES_PER_EMAIL_AND_ADDRESS, windowMs: LOGIN_WINDOW_MS, resetBySuccess: true },
    { attempts: input.ipAttempts, max: MAX_FAILURES_PER_IP, windowMs: LOGIN_WINDOW_MS, resetBySuccess: false },
    { attempts: input.emailAttempts ?? [], max: MAX_FAILURES_PER_EMAIL, windowMs: EMAIL_WINDOW_MS, resetBySuccess: true },
  ];
  let waitMs = 0;
  for (const { attempts, max, windowMs, resetBySuccess } of limits) {
    const since = input.now.getTime() - windowMs;
    const rows = attempts.filter((r) => r.createdAt.getTime() > since).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const counted = resetBySuccess ? rows.slice(rows.findLastIndex((r) => r.success) + 1) : rows;
    const failures = counted.filter((r) => !r.success);
    if (failures.length < max) continue;
    // The limit lifts once enough failures have aged out to leave max - 1.
    const freeing = failures[failures.length - max]!;
    waitMs = Math.max(waitMs, freeing.createdAt.getTime() + windowMs - input.now.getTime());
  }
  return waitMs > 0 ? { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { limited: false };
}

type Db = Pick<PrismaClient, 'loginAttempt'>;

// A burst of sign-ins queues on the locks and the pool: wait for them rather than fail (Prisma's default maxWait is 2 s).
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 10_000 } as const;

/**
 * Reads only what the decision needs (the email's last success and the newest failures after
 * it, the address's newest failures), so a flood of attempts does not make each check slower.
 */
export async function checkLoginRateLimit(prisma: Db, email: string, ip: string, now = new Date()): Promise<RateLimitDecision> {
  const select = { success: true, createdAt: true } as const;
  const since = (windowMs: number) => new Date(now.getTime() - windowMs);
  const lastSuccess = await prisma.loginAttempt.findFirst({
    where: { email, success: true, createdAt: { gt: since(EMAIL_WINDOW_MS) } },
    select,
    orderBy: { createdAt: 'desc' },
  });
  const after = (windowMs: number) => {
    const start = since(windowMs);
    return lastSuccess && lastSuccess.createdAt > start ? lastSuccess.createdAt : start;
  };
  const [pairFailures, emailFailures, ipFailures] = await Promise.all([
    prisma.loginAttempt.findMany({
      where: { email, ip, success: false, createdAt: { gt: after(LOGIN_WINDOW_MS) } },
      select,
      orderBy: { createdAt: 'desc' },
      take: MAX_FAILURES_PER_EMAIL_AND_ADDRESS,
    }),
    prisma.loginAttempt.findMany({
      where: { email, success: false, createdAt: { gt: after(EMAIL_WINDOW_MS) } },
      select,
      orderBy: { createdAt: 'desc' },
      take: MAX_FAILURES_PER_EMAIL,
    }),
    prisma.loginAttempt.findMany({
      where: { ip, success: false, createdAt: { gt: since(LOGIN_WINDOW_MS) } },
      select,
      orderBy: { createdAt: 'desc' },
      take: MAX_FAILURES_PER_IP,
    }),
  ]);
  return rateLimitDecision({ pairAttempts: pairFailures, emailAttempts: emailFailures, ipAttempts: ipFailures, now });
}

/**
 * Atomically: takes the email's and the address's advisory locks (always in that order), decides,
 * and records this attempt as a failure. A caller that then verifies the password marks the row a
 * success (`markAttemptSucceeded`). Parallel attempts therefore each count against the others.
 */
export async function checkAndRecordAttempt(
  prisma: PrismaClient,
  attempt: { email: string; ip: string },
): Promise<{ decision: RateLimitDecision; attemptId: bigint }> {
  const email = attempt.email.slice(0, 320);
  const ip = attempt.ip.slice(0, 100);
  const result = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`whetstone-login:email:${email}`}))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`whetstone-login:address:${ip}`}))`;
    const decision = await checkLoginRateLimit(tx, email, ip);
    const row = await tx.loginAttempt.create({ data: { email, ip, success: false }, select: { id: true } });
    return { decision, attemptId: row.id };
  }, TRANSACTION_OPTIONS);
  if (Math.random() < 0.02) {
    await prisma.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - 24 * 3600_000) } } });
  }
  return result;
}

export async function markAttemptSucceeded(prisma: PrismaClient, attemptId: bigint): Promise<void> {
  await prisma.loginAttempt.update({ where: { id: attemptId }, data: { success: true } });
}

/** "15 minutes", "1 minute". */
export function describeWait(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}
