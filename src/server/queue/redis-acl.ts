// Per-project Redis ACL users: an SDK worker gets a connection that can only touch
// its own project's keys, with only the commands BullMQ needs.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { PrismaClient } from '@/server/db/client';
import { decryptSecret, encryptSecret } from '@/server/crypto/secrets';

/**
 * Commands BullMQ's Lua scripts call (Redis checks ACLs inside scripts too). Taken from every
 * `rcall(...)` in bullmq/dist/esm/commands/*.lua (6.7) and verified by running workflows through
 * an ACL user: a missing one shows up as "The user executing the script can't run this command".
 * All are key-addressed, so the key pattern confines them to the project's prefix.
 */
export const BULLMQ_SCRIPT_COMMANDS = [
  'del',
  'exists',
  'get',
  'hdel',
  'hexists',
  'hget',
  'hgetall',
  'hincrby',
  'hlen',
  'hmget',
  'hmset',
  'hset',
  'incr',
  'incrby',
  'lindex',
  'llen',
  'lpop',
  'lpos',
  'lpush',
  'lrange',
  'lrem',
  'lset',
  'ltrim',
  'persist',
  'pexpire',
  'pexpireat',
  'pttl',
  'rename',
  'rpop',
  'rpoplpush',
  'rpush',
  'sadd',
  'scard',
  'set',
  'sismember',
  'smembers',
  'srem',
  'time',
  'type',
  'unlink',
  'xadd',
  'xdel',
  'xlen',
  'xrange',
  'xread',
  'xtrim',
  'zadd',
  'zcard',
  'zcount',
  'zlexcount',
  'zpopmin',
  'zrange',
  'zrangebylex',
  'zrangebyscore',
  'zrem',
  'zremrangebyrank',
  'zremrangebyscore',
  'zrevrange',
  'zrevrangebyscore',
  'zscore',
] as const;

/**
 * What the clients themselves send: scripts (EVALSHA, EVAL on NOSCRIPT), a BullMQ worker's blocking
 * BZPOPMIN on its marker key, MULTI/EXEC pipelines, RESP3 HELLO, SELECT for a database index in
 * the URL, and BullMQ naming its connections (CLIENT SETNAME).
 * Deliberately absent: KEYS/SCAN/RANDOMKEY/DBSIZE (would reveal other projects' key names), INFO
 * (its keyspace section counts every project's keys; on a URL with a user the SDK's queue kit
 * skips ioredis' ready check and BullMQ's version check, which send it), FLUSH*, CONFIG, ACL,
 * CLIENT LIST/KILL, SCRIPT FLUSH/KILL, FUNCTION, pub/sub.
 */
export const BULLMQ_CLIENT_COMMANDS = [
  'evalsha',
  'eval',
  'script|load',
  'script|exists',
  'bzpopmin',
  'multi',
  'exec',
  'discard',
  'watch',
  'unwatch',
  'hello',
  'ping',
  'echo',
  'select',
  'quit',
  'client|setname',
  'client|getname',
  'client|id',
  'client|info',
] as const;

export function aclUserName(queuePrefix: string, projectId: string): string {
  return `${queuePrefix}-project-${projectId}`;
}

export function aclRules(keyPrefix: string, password: string): string[] {
  return [
    'reset',
    'on',
    `>${password}`,
    `~${keyPrefix}:*`,
    'resetchannels',
    '-@all',
    ...[...BULLMQ_SCRIPT_COMMANDS, ...BULLMQ_CLIENT_COMMANDS].map((c) => `+${c}`),
  ];
}

/** `url` with the ACL user's credentials instead of the server's; host, port, TLS and database kept. */
export function urlWithCredentials(url: string, username: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(username);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** A refusal of the ACL commands themselves (no permission, or a Redis before 6). */
export function isAclUnsupported(err: unknown): boolean {
  const message = (err as Error)?.message ?? '';
  return /NOPERM|unknown command|ERR.*'acl'/i.test(message);
}

/**
 * Makes sure the project's ACL user exists with its stored password (creating and storing an
 * encrypted random one the first time) and returns the password. Idempotent and safe to race:
 * only one password is ever stored per project (conditional update), and SETUSER with the same
 * rules keeps existing connections. `onlyIfMissing` (the engine's periodic pass) only recreates
 * users a Redis restart forgot (ACL users live in memory unless an aclfile persists them).
 */
export async function ensureAclUser(
  prisma: PrismaClient,
  admin: Redis,
  opts: { projectId: string; userName: string; keyPrefix: string; onlyIfMissing?: boolean },
): Promise<string | null> {
  if (opts.onlyIfMissing && (await admin.call('ACL', 'GETUSER', opts.userName))) return null;
  const password = await projectQueuePassword(prisma, opts.projectId);
  await admin.call('ACL', 'SETUSER', opts.userName, ...aclRules(opts.keyPrefix, password));
  return password;
}

async function projectQueuePassword(prisma: PrismaClient, projectId: string): Promise<string> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { queueCredential: true } });
  if (!project) throw new Error(`Project ${projectId} not found`);
  if (project.queueCredential) return decryptSecret(project.queueCredential);
  const password = randomBytes(32).toString('base64url');
  const claimed = await prisma.project.updateMany({
    where: { id: projectId, queueCredential: null },
    data: { queueCredential: encryptSecret(password) },
  });
  if (claimed.count === 1) return password;
  // Another process stored one first: use theirs.
  const winner = await prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { queueCredential: true } });
  return decryptSecret(winner.queueCredential!);
}

/**
 * For the API-key revocation path: when a project has no active key left, disable its ACL user,
 * disconnect every connection authenticated as it, and forget the password, so an SDK worker that
 * ignores the 401 loses the queues too. The next registration (with a new key) creates a fresh
 * password. Returns false when nothing was done (keys remain, or Redis refuses ACL commands).
 */
export async function disableAclUserIfNoActiveKeys(
  prisma: PrismaClient,
  admin: Redis,
  opts: { projectId: string; userName: string },
): Promise<boolean> {
  const active = await prisma.apiKey.count({ where: { projectId: opts.projectId, revokedAt: null } });
  if (active > 0) return false;
  try {
    await admin.call('ACL', 'SETUSER', opts.userName, 'off', 'resetpass');
    await admin.call('CLIENT', 'KILL', 'USER', opts.userName).catch(() => undefined);
  } catch (err) {
    if (isAclUnsupported(err)) return false;
    throw err;
  }
  await prisma.project.update({ where: { id: opts.projectId }, data: { queueCredential: null } });
  return true;
}

/** Deletes the ACL users of an install or test prefix (test teardown; an uninstall). */
export async function deleteAclUsers(admin: Redis, queuePrefix: string): Promise<number> {
  const users = (await admin.call('ACL', 'USERS')) as string[];
  const mine = users.filter((u) => u.startsWith(`${queuePrefix}-project-`));
  for (const user of mine) await admin.call('ACL', 'DELUSER', user);
  return mine.length;
}
