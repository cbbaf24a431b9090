import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHECK_TIMEOUT_MS, DeclaredChecks, type OutputChecks } from './checks.js';
import { MAX_DECLARED_CHECKS, workerReportSchema } from '../contract.js';
import type { RunClient } from '../client/client.interface.js';
import { Workflow } from './workflow.js';

const checks = (options: OutputChecks<any>) => DeclaredChecks.of("Task 'draft'", options)!;

describe('declared output checks', () => {
  afterEach(() => vi.useRealTimers());

  it('names the built-ins as a what-if report names the same rules', () => {
    expect(checks({ maxLength: 600, mustMatch: /thank/i, mustNotMatch: /refund/ }).names).toEqual([
      'length ≤ 600',
      'matches /thank/i',
      'does not match /refund/',
    ]);
    expect(checks({ custom: () => true }).names).toEqual(['custom']);
    expect(checks({ custom: { polite: () => true, 'signs off': () => true } }).names).toEqual(['polite', 'signs off']);
  });

  it('evaluates a string output as it is', async () => {
    const declared = checks({ maxLength: 12, mustMatch: /thank/i, mustNotMatch: /refund/ });
    expect(await declared.evaluate('Thank you!')).toEqual([
      { name: 'length ≤ 12', passed: true },
      { name: 'matches /thank/i', passed: true },
      { name: 'does not match /refund/', passed: true },
    ]);
    expect(await declared.evaluate('No refund, sorry about that')).toEqual([
      { name: 'length ≤ 12', passed: false, message: '27 characters' },
      { name: 'matches /thank/i', passed: false },
      { name: 'does not match /refund/', passed: false },
    ]);
  });

  it('reads other outputs as JSON, and hands custom checks the output itself', async () => {
    const declared = checks({
      maxLength: 20,
      mustMatch: /"text":"Thanks/,
      custom: { short: (out: { text: string }) => out.text.length < 10 },
    });
    expect(await declared.evaluate({ text: 'Thanks!' })).toEqual([
      { name: 'length ≤ 20', passed: true },
      { name: 'matches /"text":"Thanks/', passed: true },
      { name: 'short', passed: true },
    ]);
    expect((await declared.evaluate({ text: 'Thanks for writing in' })).map((r) => r.passed)).toEqual([false, true, false]);
  });

  it('a global regular expression gives the same answer every time', async () => {
    const declared = checks({ mustMatch: /thank/gi });
    expect(declared.names).toEqual(['matches /thank/gi']);
    for (let i = 0; i < 3; i++) expect(await declared.evaluate('thank you')).toEqual([{ name: 'matches /thank/gi', passed: true }]);
  });

  it('a check that throws, rejects or answers a non-boolean has failed, with the reason; the others still run', async () => {
    const declared = checks({
      custom: {
        throws: () => {
          throw new TypeError('no reply field');
        },
        rejects: async () => Promise.reject(new Error('service down')),
        'not boolean': (() => 'yes') as never,
        async: async (out: string) => out.startsWith('Hi'),
      },
    });
    expect(await declared.evaluate('Hi there')).toEqual([
      { name: 'throws', passed: false, message: 'TypeError: no reply field' },
      { name: 'rejects', passed: false, message: 'Error: service down' },
      { name: 'not boolean', passed: false, message: 'returned string, not a boolean' },
      { name: 'async', passed: true },
    ]);
  });

  it('a custom check that never answers fails after the time limit', async () => {
    vi.useFakeTimers();
    const results = checks({ custom: { hangs: () => new Promise<boolean>(() => {}) } }).evaluate('x');
    await vi.advanceTimersByTimeAsync(CHECK_TIMEOUT_MS);
    expect(await results).toEqual([
      { name: 'hangs', passed: false, message: `Error: the check did not answer within ${CHECK_TIMEOUT_MS / 1000}s` },
    ]);
  });

  it('refuses bad options when the task is defined, naming the task', () => {
    expect(DeclaredChecks.of('x', undefined)).toBeUndefined();
    expect(() => checks({ maxLength: 0 })).toThrow("Task 'draft': checks.maxLength must be a positive integer, got 0");
    expect(() => checks({ mustMatch: 'thank' as never })).toThrow(
      "Task 'draft': checks.mustMatch must be a regular expression like /thank/i",
    );
    expect(() => checks({ custom: { ok: 'yes' as never } })).toThrow(
      "Task 'draft': checks.custom.ok must be a function (output) => boolean",
    );
    expect(() => checks({ custom: {} })).toThrow('checks.custom must be a function or an object of named functions');
    expect(() => checks({ maxLenght: 5 } as never)).toThrow(
      "Task 'draft': checks.maxLenght is not a check (use maxLength, mustMatch, mustNotMatch or custom)",
    );
    expect(() => checks({ mustMatch: /a/, custom: { 'matches /a/': () => true } })).toThrow(
      "Task 'draft': two checks are named 'matches /a/'",
    );
    const many = Object.fromEntries(Array.from({ length: MAX_DECLARED_CHECKS + 1 }, (_, i) => [`c${i}`, () => true]));
    expect(() => checks({ custom: many })).toThrow(`Task 'draft': at most ${MAX_DECLARED_CHECKS} checks, got ${MAX_DECLARED_CHECKS + 1}`);
  });
});

describe('checks on a task', () => {
  const client = {} as RunClient;

  it('a task keeps its checks for the worker; they are not part of the wire definition', async () => {
    const wf = new Workflow(client, { name: 'wf' });
    wf.task({ name: 'reply', fn: () => 'Thanks!', checks: { maxLength: 600, custom: (out) => out.startsWith('Thanks') } });
    wf.task({ name: 'plain', fn: () => 1 });
    expect(wf.taskChecks('reply')!.names).toEqual(['length ≤ 600', 'custom']);
    expect(await wf.taskChecks('reply')!.evaluate('Thanks!')).toEqual([
      { name: 'length ≤ 600', passed: true },
      { name: 'custom', passed: true },
    ]);
    expect(wf.taskChecks('plain')).toBeUndefined();
    expect(JSON.stringify(wf.definition())).not.toContain('checks');
  });

  it('bad checks are refused when the task is defined', () => {
    const wf = new Workflow(client, { name: 'wf' });
    expect(() => wf.task({ name: 'reply', fn: () => 'x', checks: { maxLength: -1 } })).toThrow(
      "Task 'reply' of workflow 'wf': checks.maxLength must be a positive integer, got -1",
    );
  });

  it('the task.succeeded report carries at most the declared number of results', () => {
    const report = (n: number) => ({
      type: 'task.succeeded',
      taskRunId: 't',
      attempt: 1,
      workerId: 'w',
      output: 'x',
      at: new Date().toISOString(),
      checks: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, passed: i % 2 === 0 })),
    });
    expect(workerReportSchema.safeParse(report(MAX_DECLARED_CHECKS)).success).toBe(true);
    expect(workerReportSchema.safeParse(report(MAX_DECLARED_CHECKS + 1)).success).toBe(false);
  });
});
