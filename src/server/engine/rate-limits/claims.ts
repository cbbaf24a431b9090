import { RATE_LIMIT_DURATION_MS, type RateLimitDuration, type TaskRateLimit, type WorkflowDefinition } from '@whetstone/sdk/contract';
import type { PrismaClient } from '@/server/db/client';
import { evaluateKey } from '@/server/engine/concurrency/keys';
import { mergeClaims, type RateLimitClaim } from './window';

/** A task whose rate limits can never let it start: its attempt fails without being retried. */
export class RateLimitRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RateLimitError';
  }
}

export interface RunForClaims {
  projectId: string;
  workflowName: string;
  input: unknown;
  additionalMetadata: unknown;
  definition: WorkflowDefinition;
}

/** Store key of a limit created with `ws.ratelimits.upsert`. */
export const staticStoreKey = (key: string) => `s:${key}`;

/** Store key of a dynamic limit: one per task rule and key value, so two tasks never share one by accident. */
export function dynamicStoreKey(workflow: string, task: string, ruleIndex: number, value: string): string {
  return `d:${workflow}:${task}:${ruleIndex}:${value}`;
}

export function taskRateLimits(definition: WorkflowDefinition, taskName: string): TaskRateLimit[] {
  const task =
    definition.tasks.find((t) => t.name === taskName) ?? (definition.onFailure?.name === taskName ? definition.onFailure : undefined);
  return task?.rateLimits ?? [];
}

/**
 * What one run of the task takes: units of each limit it names, with the limit's current size.
 * Throws RateLimitRefusal for a staticKey nobody created (the task would wait forever) and for
 * more units than the limit (it could never start).
 */
export async function taskClaims(prisma: PrismaClient, run: RunForClaims, taskName: string): Promise<RateLimitClaim[]> {
  const rules = taskRateLimits(run.definition, taskName);
  if (!rules.length) return [];
  const staticKeys = [...new Set(rules.flatMap((r) => (r.staticKey ? [r.staticKey] : [])))];
  const defined = staticKeys.length
    ? new Map(
        (
          await prisma.rateLimit.findMany({
            where: { projectId: run.projectId, key: { in: staticKeys } },
            select: { key: true, limit: true, duration: true },
          })
        ).map((l) => [l.key, l]),
      )
    : new Map<string, never>();

  const claims = rules.map((rule, i): RateLimitClaim & { label: string } => {
    if (rule.staticKey) {
      const limit = defined.get(rule.staticKey);
      if (!limit) {
        throw new RateLimitRefusal(
          `rate limit '${rule.staticKey}' is not defined: call ws.ratelimits.upsert({ key: '${rule.staticKey}', limit, duration }) before running task '${taskName}'`,
        );
      }
      return {
        key: staticStoreKey(rule.staticKey),
        label: `'${rule.staticKey}'`,
        limit: limit.limit,
        windowMs: windowOf(limit.duration),
        units: rule.units,
      };
    }
    const value = evaluateKey(rule.dynamicKey!, run);
    return {
      key: dynamicStoreKey(run.workflowName, taskName, i, value),
      label: `${rule.dynamicKey} = '${value}'`,
      limit: rule.limit!,
      windowMs: RATE_LIMIT_DURATION_MS[rule.duration!],
      units: rule.units,
    };
  });
  const merged = mergeClaims(claims);
  for (const claim of merged) {
    if (claim.units > claim.limit) {
      const label = claims.find((c) => c.key === claim.key)!.label;
      throw new RateLimitRefusal(
        `task '${taskName}' takes ${claim.units} units of rate limit ${label}, whose limit is ${claim.limit}: it could never start`,
      );
    }
  }
  return merged.map(({ key, limit, windowMs, units }) => ({ key, limit, windowMs, units }));
}

function windowOf(duration: string): number {
  const ms = RATE_LIMIT_DURATION_MS[duration as RateLimitDuration];
  if (!ms) throw new Error(`Stored rate limit has an unknown duration ${JSON.stringify(duration)}`);
  return ms;
}
