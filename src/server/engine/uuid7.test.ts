import { describe, expect, it } from 'vitest';
import { isUuid } from './ids';
import { uuidv7 } from './uuid7';

describe('uuidv7', () => {
  it('makes version-7, variant-1 uuids carrying the current millisecond', () => {
    const before = Date.now();
    const id = uuidv7();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 5);
  });

  it('is strictly increasing within a process, even many per millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
