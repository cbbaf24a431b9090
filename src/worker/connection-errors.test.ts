import { describe, expect, it } from 'vitest';
import { isTransientConnectionError } from './connection-errors';

describe('isTransientConnectionError', () => {
  it('recognises a Postgres restart and dropped sockets', () => {
    expect(
      isTransientConnectionError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })),
    ).toBe(true);
    expect(isTransientConnectionError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('leaves programming errors fatal', () => {
    expect(isTransientConnectionError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isTransientConnectionError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});
