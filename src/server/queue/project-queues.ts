import { createQueueKit, type QueueKit } from '@whetstone/sdk/transport';
import { Redis } from 'ioredis';
import type { PrismaClient } from '@/server/db/client';
import { env } from '@/server/env';
import { applicationName, queuePoolMax } from '@/server/db/connection-budget';
import type { TransportConnection } from './contracts';
import { aclUserName, disableAclUserIfNoActiveKeys, ensureAclUser, isAclUnsupported, urlWithCredentials } from './redis-acl';

// Every project has its own queues: Redis keys under `<prefix>:p:<projectId>`, or on the
// Postgres backend its own schema. The server (web, engine) reaches every project's queues with
// its own credentials; an SDK worker gets a connection for its project only (see workerConnection).

/** Redis key prefix of a project's queues. */
export function projectKeyPrefix(projectId: string): string {
  return `${env().WHETSTONE_QUEUE_PREFIX}:p:${projectId}`;
}

/**
 * Postgres schema of a project's queues: `<prefix>_q_<project uuid as 32 hex>`. The whole uuid,
 * not a few leading characters: ids are uuid v7, whose first 12 hex digits are the creation
 * millisecond, so two projects created together would share a schema. At most 63 characters
 * (env() keeps the prefix to 28).
 */
export function projectQueueSchema(projectId: string): string {
  const hex = projectId.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (hex.length !== 32) throw new Error(`Not a project id: ${projectId}`);
  return `${schemaSafe(env().WHETSTONE_QUEUE_PREFIX)}_q_${hex}`;
}

function schemaSafe(prefix: string): string {
  return prefix.toLowerCase().replace(/-/g, '_');
}

/** The connection the server itself uses for a project's queues (server credentials). */
export function projectConnection(projectId: string): TransportConnection {
  const e = env();
  if (e.WHETSTONE_TRANSPORT === 'redis') return { kind: 'redis', url: e.REDIS_URL, prefix: projectKeyPrefix(projectId) };
  return { kind: 'postgres', connectionString: e.DATABASE_URL, schema: projectQueueSchema(projectId) };
}

interface TransportState {
  kits: Map<string, QueueKit>;
  admin?: Redis;
  /** false once Redis refused an ACL command: prefix isolation only, said once. */
  aclSupported?: boolean;
}
const globalState = globalThis as unknown as { whetstoneTransport?: TransportState };
const state = (): TransportState => (globalState.whetstoneTransport ??= { kits: new Map() });

/**
 * The project's producer/consumer factory, one per project per process (cached). On the Postgres
 * transport all its queues and BullMQ workers share one pool (`WHETSTONE_QUEUE_POOL_MAX`, default 3)
 * and one LISTEN connection (only where a BullMQ worker waits: the engine), named `whetstone-<role>[<pid>]:queues`.
 */
export function queueKit(projectId: string): QueueKit {
  const kits = state().kits;
  let kit = kits.get(projectId);
  if (!kit) {
    kit = createQueueKit(projectConnection(projectId), { applicationName: applicationName('queues'), poolMax: queuePoolMax() });
    kits.set(projectId, kit);
  }
  return kit;
}

/** Closes one project's kit (the engine, when a project disappears). */
export async function closeProjectQueueKit(projectId: string): Promise<void> {
  const kit = state().kits.get(projectId);
  state().kits.delete(projectId);
  await kit?.close();
}

/** Closes every project's kit and the admin connection. */
export async function closeQueueKit(): Promise<void> {
  const s = state();
  const kits = [...s.kits.values()];
  s.kits.clear();
  await Promise.allSettled(kits.map((kit) => kit.close()));
  s.admin?.disconnect();
  s.admin = undefined;
}

function adminRedis(): Redis {
  const s = state();
  s.admin ??= new Redis(env().REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: false });
  return s.admin;
}

function aclRefused(err: unknown): void {
  const s = state();
  if (s.aclSupported === false) return;
  s.aclSupported = false;
  console.warn(
    `[whetstone] Redis refuses ACL commands (${(err as Error).message.split('\n')[0]}): SDK workers get the server's Redis credentials, and projects are isolated by key prefix only`,
  );
}

/**
 * What an SDK worker of this project receives at registration. On Redis, the credentials of the
 * project's ACL user (only its own keys, only BullMQ's commands), created on first use; if the
 * server refuses ACL commands, the server's URL with the project's prefix. On Postgres, the
 * project's schema.
 */
export async function workerConnection(prisma: PrismaClient, projectId: string): Promise<TransportConnection> {
  const connection = projectConnection(projectId);
  if (connection.kind !== 'redis' || state().aclSupported === false) return connection;
  const userName = aclUserName(env().WHETSTONE_QUEUE_PREFIX, projectId);
  try {
    const password = await ensureAclUser(prisma, adminRedis(), { projectId, userName, keyPrefix: connection.prefix });
    state().aclSupported = true;
    return { ...connection, url: urlWithCredentials(connection.url, userName, password!) };
  } catch (err) {
    if (!isAclUnsupported(err)) throw err;
    aclRefused(err);
    return connection;
  }
}

/** The engine's periodic pass: recreate ACL users a Redis restart forgot. No-op off Redis or without ACL. */
export async function restoreWorkerAccess(prisma: PrismaClient, projectIds: readonly string[]): Promise<void> {
  if (env().WHETSTONE_TRANSPORT !== 'redis' || state().aclSupported === false) return;
  const withCredential = await prisma.project.findMany({
    where: { id: { in: [...projectIds] }, queueCredential: { not: null } },
    select: { id: true },
  });
  for (const { id } of withCredential) {
    try {
      await ensureAclUser(prisma, adminRedis(), {
        projectId: id,
        userName: aclUserName(env().WHETSTONE_QUEUE_PREFIX, id),
        keyPrefix: projectKeyPrefix(id),
        onlyIfMissing: true,
      });
    } catch (err) {
      if (!isAclUnsupported(err)) throw err;
      aclRefused(err);
      return;
    }
  }
}

/**
 * Call after revoking an API key: when the project has no active key left, its Redis ACL user is
 * disabled and its connections are killed, so even an SDK worker ignoring the 401 loses the queues.
 */
export async function onApiKeyRevoked(prisma: PrismaClient, projectId: string): Promise<boolean> {
  if (env().WHETSTONE_TRANSPORT !== 'redis') return false;
  return disableAclUserIfNoActiveKeys(prisma, adminRedis(), {
    projectId,
    userName: aclUserName(env().WHETSTONE_QUEUE_PREFIX, projectId),
  });
}
