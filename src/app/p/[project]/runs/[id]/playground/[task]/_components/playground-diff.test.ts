import { describe, expect, it } from 'vitest';
import { MAX_DIFF_CHARS, outputDiff, readableJson } from './playground-diff';

describe('outputDiff', () => {
  it('diffs strings word by word', () => {
    const diff = outputDiff('Hi there, we refunded you.', 'Dear customer, we refunded you.');
    expect(diff.kind).toBe('diff');
    if (diff.kind !== 'diff') return;
    expect(diff.parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toEqual(['Hi there']);
    expect(diff.parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['Dear customer']);
    expect(diff.added).toBe(2);
    expect(diff.removed).toBe(2);
    // Put together, the unchanged and added parts are the new text.
    expect(
      diff.parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe('Dear customer, we refunded you.');
  });

  it('diffs objects as pretty-printed JSON', () => {
    const diff = outputDiff({ text: 'hello world', model: 'a' }, { text: 'hello there', model: 'a' });
    expect(diff.kind).toBe('diff');
    if (diff.kind !== 'diff') return;
    expect(
      diff.parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe('{\n  "text": "hello there",\n  "model": "a"\n}');
    expect(diff.parts.find((p) => p.kind === 'removed')?.text).toBe('world');
    expect(diff.parts.find((p) => p.kind === 'added')?.text).toBe('there');
  });

  it('has no changes for equal outputs', () => {
    const diff = outputDiff({ a: 1 }, { a: 1 });
    expect(diff).toMatchObject({ kind: 'diff', added: 0, removed: 0 });
  });

  it('gives up on outputs too large to diff in a browser', () => {
    expect(outputDiff('a '.repeat(MAX_DIFF_CHARS / 2), 'b')).toEqual({ kind: 'too-large' });
  });
});

describe('readableJson', () => {
  it('breaks lines where the strings do, keeping the escape visible', () => {
    expect(readableJson({ text: 'Hi!\nThanks' })).toBe('{\n  "text": "Hi!\\n\nThanks"\n}');
  });

  it('leaves an escaped backslash followed by n alone', () => {
    expect(readableJson({ path: 'C:\\new' })).toBe('{\n  "path": "C:\\\\new"\n}');
    expect(readableJson({ both: 'a\\\nb' })).toBe('{\n  "both": "a\\\\\\n\nb"\n}');
  });

  it('makes multi-line text in objects diff by words, not `\\nThank` tokens', () => {
    const diff = outputDiff({ text: 'Hi there!\nThank you' }, { text: 'Dear customer,\nThank you' });
    expect(diff.kind).toBe('diff');
    if (diff.kind !== 'diff') return;
    expect(
      diff.parts
        .filter((p) => p.kind === 'added')
        .map((p) => p.text)
        .join('|'),
    ).toBe('Dear|customer,');
    expect(
      diff.parts
        .filter((p) => p.kind === 'removed')
        .map((p) => p.text)
        .join('|'),
    ).toBe('Hi|there!');
    expect(diff.parts.filter((p) => p.kind !== 'same').some((p) => p.text.includes('Thank'))).toBe(false);
  });
});
