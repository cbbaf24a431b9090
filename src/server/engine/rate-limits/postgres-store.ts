import type { PrismaClient } from '@/server/db/client';
import type { RateLimitStore } from './store';
import { MAX_FIT_STEPS, paceMs } from './window';

// reserveInMemory (window.ts) over RateLimitSlot rows, for installs without Redis: one row per
// reserved unit under the key, and one row under `pace:<key>` holding the key's pace clock. One
// transaction of two statements: lock every key (pg_advisory_xact_lock, in sorted order, so two
// reservations on the same keys never deadlock), then one statement that searches the start time
// (a recursive query: each step is one pass of fitFrom over every key), records the units, moves
// the pace clocks and forgets rows no future window can hold. The second statement's snapshot is
// taken after the locks, so it sees every earlier reservation on those keys. Times are the
// database's clock.

/** A burst of reservations queues for the pool's connections and for each key's lock. */
const TRANSACTION = { maxWait: 30_000, timeout: 30_000 } as const;

export function postgresRateLimitStore(prisma: PrismaClient): RateLimitStore {
  return {
    async reserve(projectId, claims, { notBeforeMs, inTurn }) {
      const keys = claims.map((c) => c.key);
      const lockKeys = keys.map((key) => `ratelimit:${projectId}:${key}`).sort();
      const [, rows] = await prisma.$transaction(
        [
          prisma.$queryRaw`
            SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))::int AS locked
            FROM (SELECT k FROM unnest(${lockKeys}::text[]) WITH ORDINALITY AS l(k, i) ORDER BY i) AS sorted`,
          prisma.$queryRaw<Array<{ at: number }>>`
            WITH RECURSIVE clock AS (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms),
            claims AS (
              SELECT * FROM unnest(${keys}::text[], ${claims.map((c) => c.limit)}::int[], ${claims.map((c) => c.windowMs)}::float8[],
                ${claims.map((c) => c.units)}::int[], ${claims.map(paceMs)}::float8[]) AS c(key, lim, window_ms, units, pace_ms)
            ),
            state AS (
              SELECT c.*,
                (SELECT extract(epoch FROM s.at) * 1000 FROM "RateLimitSlot" s
                  WHERE s."projectId" = ${projectId}::uuid AND s.key = 'pace:' || c.key ORDER BY s.at DESC LIMIT 1) AS pace_clock_ms,
                (SELECT extract(epoch FROM s.at) * 1000 FROM "RateLimitSlot" s
                  WHERE s."projectId" = ${projectId}::uuid AND s.key = c.key ORDER BY s.at DESC LIMIT 1) AS last_ms
              FROM claims c
            ),
            search (t, step, moved) AS (
              SELECT greatest(clock.ms + ${Math.max(0, Math.round(notBeforeMs))}, coalesce((SELECT max(pace_clock_ms) FROM state), 0))::float8, 0, true
              FROM clock
              UNION ALL
              SELECT greatest(s.t, x.next_t), s.step + 1, x.next_t > s.t
              FROM search s CROSS JOIN LATERAL (
                SELECT max(CASE WHEN s.step >= ${MAX_FIT_STEPS} THEN coalesce(st.last_ms + st.window_ms, s.t) ELSE fit.next_t END) AS next_t
                FROM state st CROSS JOIN LATERAL (
                  SELECT CASE WHEN count(*) <= st.lim - st.units THEN s.t
                    ELSE (array_agg(span.ms ORDER BY span.ms))[count(*) - (st.lim - st.units)] + st.window_ms END AS next_t
                  FROM (
                    SELECT extract(epoch FROM r.at) * 1000 AS ms FROM "RateLimitSlot" r
                    WHERE r."projectId" = ${projectId}::uuid AND r.key = st.key
                      AND r.at > to_timestamp((s.t - st.window_ms) / 1000) AT TIME ZONE 'UTC'
                      AND r.at < to_timestamp((s.t + st.window_ms) / 1000) AT TIME ZONE 'UTC'
                  ) span
                ) fit
              ) x
              WHERE s.moved
            ),
            start AS (SELECT max(t)::float8 AS ms FROM search),
            moved_clocks AS (
              SELECT st.* FROM state st CROSS JOIN start
              WHERE ${inTurn} OR start.ms <= st.pace_clock_ms
            ),
            reserved AS (
              INSERT INTO "RateLimitSlot" ("projectId", key, at)
              SELECT ${projectId}::uuid, st.key, to_timestamp(start.ms / 1000) AT TIME ZONE 'UTC'
              FROM state st CROSS JOIN start CROSS JOIN LATERAL generate_series(1, st.units)
              UNION ALL
              SELECT ${projectId}::uuid, 'pace:' || m.key, to_timestamp((start.ms + m.pace_ms) / 1000) AT TIME ZONE 'UTC'
              FROM moved_clocks m CROSS JOIN start
              RETURNING 1
            ),
            forgotten AS (
              DELETE FROM "RateLimitSlot" s USING state st, clock
              WHERE s."projectId" = ${projectId}::uuid
                AND ((s.key = st.key AND s.at <= to_timestamp((clock.ms - st.window_ms) / 1000) AT TIME ZONE 'UTC')
                  OR s.key IN (SELECT 'pace:' || m.key FROM moved_clocks m))
              RETURNING 1
            )
            SELECT start.ms AS at FROM start`,
        ],
        TRANSACTION,
      );
      const [{ at }] = rows as [{ at: number }];
      return { startAt: new Date(Number(at)) };
    },
  };
}
