import { describe, expect, it } from 'vitest';
import { diffStats, parseUnifiedDiff } from './pull-request-diff';
import { changedVariableNames, shortSha } from './pull-request-values';

const DIFF = [
  'diff --git a/examples/src/ticket-triage.ts b/examples/src/ticket-triage.ts',
  '--- a/examples/src/ticket-triage.ts',
  '+++ b/examples/src/ticket-triage.ts',
  '@@ -82,7 +82,5 @@',
  '   const system = String(',
  '     ctx.playground(',
  "       'system_prompt',",
  '-      `You are a friendly support agent.',
  '-Reply in under 80 words.',
  '--- a line that looks like a header',
  '+      `Be formal.`,',
  '     ),',
  '@@ -100 +97 @@',
  '-const threshold = 0.6;',
  '+++ looks like a header too',
  '\\ No newline at end of file',
  '',
].join('\n');

describe('parseUnifiedDiff', () => {
  const lines = parseUnifiedDiff(DIFF);

  it('keeps the file headers and hunk lines as they are', () => {
    expect(lines.slice(0, 4)).toEqual([
      { kind: 'header', text: 'diff --git a/examples/src/ticket-triage.ts b/examples/src/ticket-triage.ts' },
      { kind: 'header', text: '--- a/examples/src/ticket-triage.ts' },
      { kind: 'header', text: '+++ b/examples/src/ticket-triage.ts' },
      { kind: 'hunk', text: '@@ -82,7 +82,5 @@' },
    ]);
  });

  it('numbers context, removed and added lines in the old and new file', () => {
    expect(lines.slice(4, 12)).toEqual([
      { kind: 'context', text: '  const system = String(', oldLine: 82, newLine: 82 },
      { kind: 'context', text: '    ctx.playground(', oldLine: 83, newLine: 83 },
      { kind: 'context', text: "      'system_prompt',", oldLine: 84, newLine: 84 },
      { kind: 'removed', text: '      `You are a friendly support agent.', oldLine: 85 },
      { kind: 'removed', text: 'Reply in under 80 words.', oldLine: 86 },
      { kind: 'removed', text: '-- a line that looks like a header', oldLine: 87 },
      { kind: 'added', text: '      `Be formal.`,', newLine: 85 },
      { kind: 'context', text: '    ),', oldLine: 88, newLine: 86 },
    ]);
  });

  it('reads hunks without counts (one line) and "no newline" notes', () => {
    expect(lines.slice(12)).toEqual([
      { kind: 'hunk', text: '@@ -100 +97 @@' },
      { kind: 'removed', text: 'const threshold = 0.6;', oldLine: 100 },
      { kind: 'added', text: '++ looks like a header too', newLine: 97 },
      { kind: 'note', text: '\\ No newline at end of file' },
    ]);
    expect(diffStats(lines)).toEqual({ added: 2, removed: 4 });
  });

  it('starts a new file after a hunk ends; CRLF line ends are not part of the text', () => {
    const two = 'diff --git a/a.ts b/a.ts\r\n--- a/a.ts\r\n+++ b/a.ts\r\n@@ -1 +1 @@\r\n-x\r\n+y\r\ndiff --git a/b.ts b/b.ts\r\n';
    expect(parseUnifiedDiff(two).map((l) => [l.kind, l.text])).toEqual([
      ['header', 'diff --git a/a.ts b/a.ts'],
      ['header', '--- a/a.ts'],
      ['header', '+++ b/a.ts'],
      ['hunk', '@@ -1 +1 @@'],
      ['removed', 'x'],
      ['added', 'y'],
      ['header', 'diff --git a/b.ts b/b.ts'],
    ]);
  });

  it('is empty for an empty diff', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
  });
});

describe('changedVariableNames', () => {
  const defaults = [
    { name: 'system_prompt', defaultValue: 'Be nice.' },
    { name: 'temperature', defaultValue: 0.7 },
    { name: 'config', defaultValue: { a: 1, b: [1, 2] } },
  ];

  it('lists overridden values that differ from the default in code', () => {
    const used = [
      { name: 'system_prompt', value: 'Be formal.', overridden: true },
      { name: 'temperature', value: 0.7, overridden: true },
      { name: 'config', value: { b: [1, 2], a: 1 }, overridden: true },
    ];
    expect(changedVariableNames(used, defaults)).toEqual(['system_prompt']);
  });

  it('ignores values the run did not override and variables the code no longer has', () => {
    const used = [
      { name: 'temperature', value: 0.2, overridden: false },
      { name: 'gone', value: 'x', overridden: true },
      { name: 'config', value: { a: 2, b: [1, 2] }, overridden: true },
    ];
    expect(changedVariableNames(used, defaults)).toEqual(['config']);
  });
});

it('shortSha keeps 7 characters', () => {
  expect(shortSha('1a2b3c4d5e6f')).toBe('1a2b3c4');
});
