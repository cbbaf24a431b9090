import { describe, expect, it } from 'vitest';
import { Prisma } from '@/server/db/client';
import { attemptVariableRows, jsonColumn } from './playground-variables';

describe('attemptVariableRows', () => {
  it('turns reported variables into rows, JSON null and missing call sites included', () => {
    const rows = attemptVariableRows('t1', 2, [
      { name: 'prompt', default: 'hi', value: 'hello', overridden: true, callsite: { file: 'src/a.ts', line: 3, column: 14 } },
      { name: 'stop', default: null, value: null, overridden: false, callsite: null },
    ]);
    expect(rows).toEqual([
      {
        taskRunId: 't1',
        attempt: 2,
        name: 'prompt',
        defaultValue: 'hi',
        value: 'hello',
        overridden: true,
        file: 'src/a.ts',
        line: 3,
        column: 14,
      },
      {
        taskRunId: 't1',
        attempt: 2,
        name: 'stop',
        defaultValue: Prisma.JsonNull,
        value: Prisma.JsonNull,
        overridden: false,
        file: null,
        line: null,
        column: null,
      },
    ]);
  });

  it('keeps falsy JSON values (0, false, empty string) as they are', () => {
    expect([0, false, '', [], {}].map(jsonColumn)).toEqual([0, false, '', [], {}]);
  });
});
