import { describe, expect, it } from 'vitest';
import {
  costChange,
  DEFAULT_ROW_VIEW,
  durationChange,
  failsChecks,
  outcomeCounts,
  pairChecks,
  visibleRows,
  type Outcome,
  type RowLike,
} from './what-if-rows';

type Row = RowLike & { id: string };

const side = (durationMs: number | null, costUsd: number | null, checks: boolean[] = []) => ({
  durationMs,
  costUsd,
  checks: checks.map((passed, i) => ({ name: `rule ${i}`, passed })),
});
const row = (id: string, outcome: Outcome, before: RowLike['before'], after: RowLike['after']): Row => ({ id, outcome, before, after });

const rows: Row[] = [
  row('a', 'changed', side(1000, 0.01, [true]), side(1500, 0.02, [false])),
  row('b', 'unchanged', side(800, 0.01, [true]), side(400, 0.005, [true])),
  row('c', 'failed', side(900, null), side(100, null)),
  row('d', 'pending', side(700, 0.01), null),
  row('e', 'changed', side(1000, 0.03, [true]), side(1000, 0.01, [true, false])),
];
const ids = (list: Row[]) => list.map((r) => r.id).join('');

describe('visibleRows', () => {
  it('keeps the report order by default and reverses it on request', () => {
    expect(ids(visibleRows(rows, DEFAULT_ROW_VIEW))).toBe('abcde');
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, descending: true }))).toBe('edcba');
    // The input is not reordered in place.
    expect(ids(rows)).toBe('abcde');
  });

  it('filters by outcome and by failing checks', () => {
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, outcome: 'changed' }))).toBe('ae');
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, outcome: 'pending' }))).toBe('d');
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, checksFailing: true }))).toBe('ae');
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, outcome: 'unchanged', checksFailing: true }))).toBe('');
  });

  it('sorts by outcome: failures first, then changes, unchanged, pending; ties keep the report order', () => {
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, sort: 'outcome' }))).toBe('caebd');
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, sort: 'outcome', descending: true }))).toBe('dbaec');
  });

  it('sorts by duration and cost change, rows without one last in both directions', () => {
    // Duration change: a +500, b −400, c −800, d none, e 0.
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, sort: 'duration' }))).toBe('cbead');
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, sort: 'duration', descending: true }))).toBe('aebcd');
    // Cost change: a +0.01, b −0.005, c none (unpriced), d none, e −0.02.
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, sort: 'cost' }))).toBe('ebacd');
    expect(ids(visibleRows(rows, { ...DEFAULT_ROW_VIEW, sort: 'cost', descending: true }))).toBe('abecd');
  });
});

describe('row helpers', () => {
  it('changes are after minus before, null when a side is unknown', () => {
    expect(durationChange(rows[0]!)).toBe(500);
    expect(durationChange(rows[3]!)).toBeNull();
    expect(costChange(rows[1]!)).toBeCloseTo(-0.005);
    expect(costChange(rows[2]!)).toBeNull();
  });

  it('a row fails checks when its new output fails any', () => {
    expect(rows.map(failsChecks)).toEqual([true, false, false, false, true]);
  });

  it('counts rows per outcome for the filter buttons', () => {
    expect(outcomeCounts(rows)).toEqual({ all: 5, changed: 2, unchanged: 1, failed: 1, pending: 1, checksFailing: 2 });
  });

  it('pairs each check before and after by name', () => {
    expect(
      pairChecks(
        [{ name: 'x', passed: true }],
        [
          { name: 'x', passed: false },
          { name: 'y', passed: true },
        ],
      ),
    ).toEqual([
      { name: 'x', before: true, after: false },
      { name: 'y', before: null, after: true },
    ]);
    expect(pairChecks([{ name: 'x', passed: false }], undefined)).toEqual([{ name: 'x', before: false, after: null }]);
  });
});
