import { Redis } from 'ioredis';
import { env } from '@/server/env';
import { projectKeyPrefix } from '@/server/queue/project-queues';
import type { RateLimitStore } from './store';
import { MAX_FIT_STEPS, paceMs, type RateLimitClaim } from './window';

// reserveInMemory (window.ts) as one Lua script, so a reservation is atomic across every engine
// and web process. Times are Redis's own clock (TIME): processes on several hosts agree on them.
// KEYS: one sorted set per limit (score = reserved start time in ms), then each one's pace clock.
// ARGV: notBeforeMs, holder, inTurn (1/0), maxFitSteps, then limit, windowMs, units, paceMs per limit.
const RESERVE_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local holder = ARGV[2]
local inTurn = ARGV[3] == '1'
local maxSteps = tonumber(ARGV[4])
local n = #KEYS / 2
local function arg(i, k) return tonumber(ARGV[4 + (i - 1) * 4 + k]) end
local at = now + tonumber(ARGV[1])
local clocks = {}
for i = 1, n do
  for u = 1, arg(i, 3) do redis.call('ZREM', KEYS[i], holder .. ':' .. u) end
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - arg(i, 2))
  clocks[i] = tonumber(redis.call('GET', KEYS[n + i]))
  if clocks[i] and clocks[i] > at then at = clocks[i] end
end
local function fit(i, t)
  local limit, window, units = arg(i, 1), arg(i, 2), arg(i, 3)
  local lo, hi = '(' .. (t - window), '(' .. (t + window)
  local excess = redis.call('ZCOUNT', KEYS[i], lo, hi) - (limit - units)
  if excess <= 0 then return t end
  local entry = redis.call('ZRANGEBYSCORE', KEYS[i], lo, hi, 'WITHSCORES', 'LIMIT', excess - 1, 1)
  return tonumber(entry[2]) + window
end
local step, moved = 0, true
while moved do
  moved = false
  for i = 1, n do
    local nextAt
    if step < maxSteps then
      nextAt = fit(i, at)
    else
      local last = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
      nextAt = last[2] and tonumber(last[2]) + arg(i, 2) or at
    end
    if nextAt > at then at, moved = nextAt, true end
  end
  step = step + 1
end
for i = 1, n do
  local window, pace = arg(i, 2), arg(i, 4)
  for u = 1, arg(i, 3) do redis.call('ZADD', KEYS[i], at, holder .. ':' .. u) end
  local last = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[i], tonumber(last[2]) + window)
  if inTurn or (clocks[i] and at <= clocks[i]) then
    redis.call('SET', KEYS[n + i], at + pace)
    redis.call('PEXPIREAT', KEYS[n + i], at + pace + window)
  end
end
return at
`;

type ReserveCommand = (numKeys: number, ...args: Array<string | number>) => Promise<number>;

const globalState = globalThis as unknown as { whetstoneRateLimitRedis?: Redis };

/** The process's connection for rate limits, opened on the first reservation (most tasks have none). */
function connection(): Redis {
  globalState.whetstoneRateLimitRedis ??= new Redis(env().REDIS_URL, { maxRetriesPerRequest: 3 });
  return globalState.whetstoneRateLimitRedis;
}

export function rateLimitRedisKey(projectId: string, key: string): string {
  return `${projectKeyPrefix(projectId)}:ratelimit:${key}`;
}

export function redisRateLimitStore(redis: Redis = connection()): RateLimitStore {
  if (!(redis as unknown as { whetstoneReserve?: ReserveCommand }).whetstoneReserve) {
    redis.defineCommand('whetstoneReserve', { lua: RESERVE_SCRIPT });
  }
  const reserve = (redis as unknown as { whetstoneReserve: ReserveCommand }).whetstoneReserve.bind(redis);
  return {
    async reserve(projectId, claims, { notBeforeMs, holder, inTurn }) {
      const keys = claims.map((c) => rateLimitRedisKey(projectId, c.key));
      const paceKeys = claims.map((c) => rateLimitRedisKey(projectId, `pace:${c.key}`));
      const args = claims.flatMap((c: RateLimitClaim) => [c.limit, c.windowMs, c.units, paceMs(c)]);
      const at = await reserve(
        keys.length * 2,
        ...keys,
        ...paceKeys,
        Math.max(0, Math.round(notBeforeMs)),
        holder,
        inTurn ? 1 : 0,
        MAX_FIT_STEPS,
        ...args,
      );
      return { startAt: new Date(Number(at)) };
    },
  };
}
