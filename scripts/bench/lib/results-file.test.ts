import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSection, writeResultsSection } from './results-file';

describe('mergeSection', () => {
  it('replaces one section and keeps the others', () => {
    const existing = JSON.stringify({ suite: { old: true }, scale: { ratio: 1.2 } });
    expect(mergeSection(existing, 'suite', { new: 1 })).toEqual({ suite: { new: 1 }, scale: { ratio: 1.2 } });
  });

  it('starts afresh from a missing or unreadable file', () => {
    expect(mergeSection(undefined, 'scale', 1)).toEqual({ scale: 1 });
    expect(mergeSection('not json', 'scale', 1)).toEqual({ scale: 1 });
    expect(mergeSection('[1,2]', 'scale', 1)).toEqual({ scale: 1 });
  });
});

describe('writeResultsSection', () => {
  it('creates the folder and writes the merged JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
    const path = join(dir, 'nested', 'results.json');
    writeResultsSection('suite', { a: 1 }, path);
    writeResultsSection('scale', { b: 2 }, path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ suite: { a: 1 }, scale: { b: 2 } });
    writeFileSync(path, '{');
    writeResultsSection('scale', { b: 3 }, path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ scale: { b: 3 } });
  });
});
