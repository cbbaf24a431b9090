import { describe, expect, it } from 'vitest';
import { rewritePlaygroundDefault } from './index';

// Two calls with the same name on one line: which one is rewritten shows which one the position picked.
const source = "const pair = [ctx.playground<number>('t', 1), this.ctx.playground<number>('t', 2)];";
const second = source.indexOf('this.ctx');

function rewrittenAt(column: number): string {
  return rewritePlaygroundDefault({ path: 'a.ts', source, name: 't', value: 9, line: 1, column }).source;
}

const firstRewritten = source.replace("('t', 1)", "('t', 9)");
const secondRewritten = source.replace("('t', 2)", "('t', 9)");

describe('the recorded position', () => {
  it.each([
    ['the start of the callee object', second + 1],
    ['the `.playground` property (as V8 reports it)', source.indexOf('playground', second) + 1],
    ['the type arguments', source.indexOf('<number>', second) + 1],
    ['the opening parenthesis', source.indexOf("('t', 2)") + 1],
  ])('may point at %s', (_where, column) => {
    expect(rewrittenAt(column)).toBe(secondRewritten);
  });

  it('picks the first call when pointing at it', () => {
    expect(rewrittenAt(source.indexOf('playground') + 1)).toBe(firstRewritten);
  });

  it('does not count the arguments as the call: pointing inside them matches neither', () => {
    expect(() => rewrittenAt(source.indexOf("'t', 2") + 1)).toThrow(/cannot tell which default/);
  });

  it('with a line and no column, uses the only call on that line', () => {
    const twoLines = "ctx.playground('t', 1);\nctx.playground('t', 2);";
    const result = rewritePlaygroundDefault({ path: 'a.ts', source: twoLines, name: 't', value: 9, line: 2 });
    expect(result.source).toBe("ctx.playground('t', 1);\nctx.playground('t', 9);");
    expect(result.edit).toEqual({ line: 2, column: 21, kind: 'argument' });
  });

  it('matches a call spread over several lines by any of its lines', () => {
    const multi = "ctx.playground('t', 1);\nctx.playground(\n  't',\n  2,\n);";
    const result = rewritePlaygroundDefault({ path: 'a.ts', source: multi, name: 't', value: 9, line: 3, column: 3 });
    expect(result.source).toBe("ctx.playground('t', 1);\nctx.playground(\n  't',\n  9,\n);");
  });

  it('reports before/after and the edit position', () => {
    const result = rewritePlaygroundDefault({ path: 'a.ts', source, name: 't', value: 9, line: 1, column: second + 1 });
    expect(result).toMatchObject({
      changed: true,
      before: '2',
      after: '9',
      edit: { line: 1, column: source.indexOf('2)]') + 1, kind: 'argument' },
    });
  });
});
