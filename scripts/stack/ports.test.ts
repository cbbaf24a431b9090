import { describe, expect, it } from 'vitest';
import { findFreePort, isUsablePort } from './ports';

describe('findFreePort', () => {
  it('skips ports Next.js refuses (3659 is reserved for apple-sasl, 6000 for X11)', async () => {
    expect(isUsablePort(3659)).toBe(false);
    expect(isUsablePort(6000)).toBe(false);
    expect(isUsablePort(3658)).toBe(true);
    const port = await findFreePort(3659);
    expect(port).not.toBe(3659);
    expect(isUsablePort(port)).toBe(true);
  });
});
