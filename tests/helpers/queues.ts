import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestStack } from './stack';

/**
 * Deletes every queue of the stack behind the server's back, as FLUSHALL does on Redis (scoped to
 * this stack's key prefix so other test files are untouched) or a truncated queue schema on the
 * Postgres transport.
 */
export async function wipeQueues(stack: TestStack): Promise<void> {
  const prefix = stack.env.WHETSTONE_QUEUE_PREFIX!;
  if (stack.env.WHETSTONE_TRANSPORT === 'redis') {
    const redis = new Redis(stack.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${prefix}:*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    } finally {
      redis.disconnect();
    }
    return;
  }
  const client = new pg.Client({ connectionString: stack.env.DATABASE_URL });
  await client.connect();
  try {
    const schemaPrefix = `${prefix.toLowerCase().replace(/-/g, '_')}_q_`;
    const { rows } = await client.query<{ schema: string; table: string }>(
      `select table_schema as schema, table_name as table from information_schema.tables
       where table_schema like $1 and table_type = 'BASE TABLE' and table_name not like '%migration%'`,
      [`${schemaPrefix}%`],
    );
    if (rows.length) await client.query(`truncate ${rows.map((r) => `"${r.schema}"."${r.table}"`).join(', ')} cascade`);
  } finally {
    await client.end();
  }
}
