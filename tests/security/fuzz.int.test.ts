import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupFindings, prepareFixture, restRoutes, runFuzz, trpcMutations, type FuzzTarget } from '../../scripts/fuzz/fuzz';
import { fuzzTarget } from '../../scripts/fuzz/stack';
import { startTestStack, type TestStack } from '../helpers/stack';

// `npm run fuzz` as a test (CI runs it on both transports), with 4 generated inputs per route and
// mutation instead of 8: no input to any REST route or tRPC mutation is a 5xx, and no refused
// request stores anything.
let stack: TestStack;
let target: FuzzTarget;

beforeAll(async () => {
  stack = await startTestStack();
  target = await fuzzTarget(stack);
});
afterAll(async () => {
  await stack?.stop();
});

describe('fuzz (issue 18)', () => {
  it('finds the routes and mutations to fuzz', async () => {
    expect(restRoutes()).toContain('POST /workers');
    expect(restRoutes().length).toBeGreaterThan(15);
    expect(await trpcMutations()).toContain('runs.cancel');
  });

  it('no 5xx and nothing half-stored', { timeout: 240_000 }, async () => {
    const { fixture } = await prepareFixture(target);
    const report = await runFuzz(target, fixture, { seed: 18, runs: 4 });
    console.log(`[fuzz] ${report.summary}`);
    expect(report.requests).toBeGreaterThan(1000);
    expect(groupFindings(report.findings)).toEqual([]);
  });
});
