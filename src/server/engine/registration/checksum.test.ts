import { describe, expect, it } from 'vitest';
import { jsonChecksum } from './checksum';

describe('jsonChecksum', () => {
  it('ignores key order and undefined, but not values or array order', () => {
    expect(jsonChecksum({ a: 1, b: [1, 2], c: undefined })).toBe(jsonChecksum({ b: [1, 2], a: 1 }));
    expect(jsonChecksum({ a: 1, b: [2, 1] })).not.toBe(jsonChecksum({ a: 1, b: [1, 2] }));
    expect(jsonChecksum({ a: 1 })).not.toBe(jsonChecksum({ a: 2 }));
  });
});
