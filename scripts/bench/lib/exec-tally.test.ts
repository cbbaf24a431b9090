import { describe, expect, it } from 'vitest';
import { tallyExecutions } from './exec-tally';

describe('tallyExecutions', () => {
  it('counts executions per task run and per worker pid', () => {
    const log = ['t1 1 100', 't2 1 200', 't3 1 100', ''].join('\n');
    expect(tallyExecutions(log, ['t1', 't2', 't3'])).toEqual({
      executions: 3,
      once: 3,
      duplicated: [],
      missing: [],
      unknown: 0,
      byPid: { '100': 2, '200': 1 },
    });
  });

  it('reports task runs executed twice, never executed, or not in the database', () => {
    const log = ['t1 1 100', 't1 1 200', 't9 1 100'].join('\n');
    const tally = tallyExecutions(log, ['t1', 't2']);
    expect(tally.duplicated).toEqual([{ taskRunId: 't1', times: 2 }]);
    expect(tally.missing).toEqual(['t2']);
    expect(tally.unknown).toBe(1);
    expect(tally.once).toBe(0);
    expect(tally.byPid).toEqual({ '100': 1, '200': 1 }); // only the listed task runs' executions
    expect(tally.executions).toBe(3);
  });

  it('refuses a malformed line rather than miscounting', () => {
    expect(() => tallyExecutions('t1 1\n', ['t1'])).toThrow(/malformed execution log line/);
  });
});
