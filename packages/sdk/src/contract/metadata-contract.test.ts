import { describe, expect, it } from 'vitest';
import {
  bulkTriggerRunsRequestSchema,
  createCronRequestSchema,
  createScheduleRequestSchema,
  pushEventRequestSchema,
  triggerRunRequestSchema,
} from '../contract.js';
import { MAX_METADATA_KEYS } from './metadata-contract.js';

const message = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') ?? '';

describe('additionalMetadata limits', () => {
  const parsers: Record<string, (metadata: unknown) => ReturnType<typeof triggerRunRequestSchema.safeParse>> = {
    trigger: (m) => triggerRunRequestSchema.safeParse({ additionalMetadata: m }),
    bulk: (m) => bulkTriggerRunsRequestSchema.safeParse({ runs: [{ additionalMetadata: m }] }),
    event: (m) => pushEventRequestSchema.safeParse({ key: 'k', additionalMetadata: m }),
    cron: (m) => createCronRequestSchema.safeParse({ name: 'c', expression: '* * * * *', additionalMetadata: m }),
    schedule: (m) => createScheduleRequestSchema.safeParse({ delaySeconds: 1, additionalMetadata: m }),
  };
  for (const [name, parse] of Object.entries(parsers)) {
    it(`${name}: accepts a normal map, refuses huge keys, too many keys, long values and empty keys`, () => {
      expect(parse({ customerId: 'c42', ['k'.repeat(100)]: 'v'.repeat(1000) }).success).toBe(true);
      const huge = parse({ ['k'.repeat(100_000)]: 'v' });
      expect(huge.success).toBe(false);
      expect(message(huge)).toMatch(/key "k{40}…" is 100000 characters; a key has at most 100/);
      expect(message(huge).length).toBeLessThan(300);
      const many = parse(Object.fromEntries(Array.from({ length: MAX_METADATA_KEYS + 1 }, (_, i) => [`k${i}`, 'v'])));
      expect(message(many)).toMatch(/at most 50 keys \(got 51\)/);
      expect(message(parse({ k: 'v'.repeat(1001) }))).toMatch(/k: a value has at most 1000 characters/);
      expect(message(parse({ '': 'v' }))).toMatch(/a key needs at least 1 character/);
      expect(parse({ k: 1 }).success).toBe(false);
    });
  }
});

describe('numbers in REST contracts are bounded', () => {
  it('delaySeconds is 0 to ten years', () => {
    expect(createScheduleRequestSchema.safeParse({ delaySeconds: 1e300 }).success).toBe(false);
    expect(createScheduleRequestSchema.safeParse({ delaySeconds: -1 }).success).toBe(false);
    expect(createScheduleRequestSchema.safeParse({ delaySeconds: 60 }).success).toBe(true);
  });
});
