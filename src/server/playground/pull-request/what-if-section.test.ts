import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '@/server/what-if/report';
import { commitMessage, pullRequestBody, type PullRequestText } from './body';
import { tableCell } from './markdown';
import { MAX_REPORT_ROWS, whatIfSection, type DashboardLinks, type WhatIfBodyReport } from './what-if-section';

const REPORT = '019a0000-0000-7000-8000-0000000000ff';
const run = (n: number) => `019a0000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const links: DashboardLinks = {
  run: (id) => `https://ws.example.com/p/default/runs/${id}`,
  report: (id) => `https://ws.example.com/p/default/what-if/${id}`,
};
const noLinks: DashboardLinks = { run: () => null, report: () => null };

const pass = (name: string) => ({ name, passed: true });
const fail = (name: string) => ({ name, passed: false });
const row = (
  n: number,
  outcome: RowOutcome,
  before: WhatIfBodyReport['rows'][number]['before'],
  after: WhatIfBodyReport['rows'][number]['after'],
) => ({
  sourceRunId: run(n),
  runId: run(100 + n),
  outcome,
  before,
  after,
});

const report = (over: Partial<WhatIfBodyReport> = {}): WhatIfBodyReport => ({
  id: REPORT,
  taskName: 'draft',
  rows: [
    row(1, 'unchanged', { checks: [pass('length ≤ 600')] }, { checks: [pass('length ≤ 600')] }),
    row(
      2,
      'changed',
      { checks: [fail('matches /thank/i'), pass('length ≤ 600')] },
      { checks: [pass('matches /thank/i'), pass('length ≤ 600')] },
    ),
    row(3, 'failed', { checks: [pass('length ≤ 600')] }, { checks: [] }),
  ],
  totals: {
    rows: 3,
    pending: 0,
    changed: 1,
    unchanged: 1,
    failed: 1,
    costUsd: { before: 0.0123, after: 0.015 },
    meanDurationMs: { before: 812, after: 640 },
    checks: { before: { passed: 3, failed: 1 }, after: { passed: 3, failed: 0 } },
  },
  ...over,
});

describe('what-if section of a pull request', () => {
  it('totals as a before/after table, rows failed and changed first with links, and a link to the report', () => {
    expect(whatIfSection(report(), links)).toBe(
      [
        '### What-if report',
        `These values were tried on 3 runs, re-running task \`draft\` ([what-if report](https://ws.example.com/p/default/what-if/${REPORT})):`,
        [
          '|  | before | after |',
          '|---|---|---|',
          '| runs | 3 | 1 changed, 1 unchanged, 1 failed |',
          '| cost | $0.0123 | $0.0150 |',
          '| mean latency | 812 ms | 640 ms |',
          '| checks passed / failed | 3 / 1 | 3 / 0 |',
        ].join('\n'),
        [
          '| source run | new run | outcome | checks before | checks after |',
          '|---|---|---|---|---|',
          `| [00000003](${links.run(run(3))}) | [00000103](${links.run(run(103))}) | failed | 1 / 1 passed | — |`,
          `| [00000002](${links.run(run(2))}) | [00000102](${links.run(run(102))}) | changed | 1 / 2 passed; failed: \`matches /thank/i\` | 2 / 2 passed |`,
          `| [00000001](${links.run(run(1))}) | [00000101](${links.run(run(101))}) | unchanged | 1 / 1 passed | 1 / 1 passed |`,
        ].join('\n'),
      ].join('\n\n'),
    );
  });

  it(`lists at most ${MAX_REPORT_ROWS} rows and says how many the report has`, () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(i, i < 25 ? 'unchanged' : 'changed', null, null));
    const section = whatIfSection(report({ rows }), links);
    const listed = section.split('\n').filter((l) => l.startsWith('| [')).length;
    expect(listed).toBe(MAX_REPORT_ROWS);
    // The 5 changed rows (the last ones) come first.
    expect(section).toContain(`| [00000025](${links.run(run(25))})`);
    expect(section).toContain(`${MAX_REPORT_ROWS} of 30 rows shown (failed and changed first): the report has all of them.`);
  });

  it('check names cannot break the table, and unknown figures show as —', () => {
    const nasty = row(1, 'changed', null, { checks: [fail('matches /a|b/'), fail('one\ntwo `x`'), fail('c'), fail('d'), fail('e')] });
    const totals = {
      ...report().totals,
      pending: 2,
      costUsd: { before: null, after: null },
      meanDurationMs: { before: null, after: 5 },
      checks: { before: { passed: 0, failed: 0 }, after: { passed: 0, failed: 5 } },
    };
    const section = whatIfSection(report({ rows: [nasty], totals }), noLinks);
    const line = section.split('\n').find((l) => l.includes('00000101'))!;
    // Every | inside a cell is escaped: the row still has exactly 5 cells.
    expect(line.split(/(?<!\\)\|/).length - 2).toBe(5);
    expect(line).toBe(
      '| `00000001` | `00000101` | changed | — | 0 / 5 passed; failed: `matches /a\\|b/`, `` one two `x` ``, `c` and 2 more |',
    );
    expect(section).toContain('| cost | — | — |');
    expect(section).toContain('| mean latency | — | 5 ms |');
    expect(section).toContain('| checks passed / failed | — | 0 / 5 |');
    expect(section).toContain('| runs | 3 | 1 changed, 1 unchanged, 1 failed, 2 not finished |');
    expect(section).toContain(`(what-if report \`${REPORT}\`; set WHETSTONE_PUBLIC_URL on the server for links)`);
  });

  it('tableCell keeps a cell on one line and escapes every pipe', () => {
    expect(tableCell('a | b\nc')).toBe('a \\| b c');
    expect(tableCell('`x\\|y`')).toBe('`x\\\\|y`');
  });
});

describe('pull request body opened from a what-if report', () => {
  const text: PullRequestText = {
    workflow: 'support-reply',
    task: 'draft',
    project: 'default',
    publicUrl: 'https://ws.example.com',
    sourceRunId: run(2),
    variantRunId: run(102),
    variant: 0,
    openedBy: 'pm@example.com',
    variables: [{ name: 'temperature', path: 'src/support.ts', line: 8, before: '0.2', after: '0.7' }],
    sourceOutput: 'No.',
    variantOutput: 'Thanks!',
    whatIf: report(),
  };

  it('says it comes from the report, holds its section before the links, and links the report', () => {
    const body = pullRequestBody(text);
    expect(
      body.startsWith(
        'Opened from a Whetstone what-if report by pm@example.com: task `draft` of workflow `support-reply` was re-run with new values over 3 earlier runs',
      ),
    ).toBe(true);
    expect(body).toContain('### Output of `draft` (one row of the report)');
    expect(body).toContain(whatIfSection(report(), links));
    expect(body.indexOf('### What-if report')).toBeLessThan(body.indexOf('\n---\n'));
    expect(body.endsWith(`- What-if report: https://ws.example.com/p/default/what-if/${REPORT}\n`)).toBe(true);
    expect(commitMessage(text)).toContain(`New defaults from what-if report ${REPORT} (row run ${run(102)} of run ${run(2)}):`);
  });
});
