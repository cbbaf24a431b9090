import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, loadKey, secretKeyPath } from './secrets';

const dir = mkdtempSync(join(tmpdir(), 'whetstone-secrets-'));
process.env.WHETSTONE_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets', () => {
  it('round-trips, with a fresh IV each time, and refuses tampering', () => {
    const a = encryptSecret('hunter2');
    expect(a).not.toContain('hunter2');
    expect(encryptSecret('hunter2')).not.toBe(a);
    expect(decryptSecret(a)).toBe('hunter2');
    const [v, iv, tag, data] = a.split(':');
    const flipped = Buffer.from(data!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => decryptSecret([v, iv, tag, flipped.toString('base64url')].join(':'))).toThrow(/another WHETSTONE_SECRET_KEY, or altered/);
  });

  it('generates the key once, 0600, in the data dir, and rejects a wrong-size key', () => {
    const environment = { WHETSTONE_DATA_DIR: dir };
    const first = loadKey(environment);
    expect(loadKey(environment).equals(first)).toBe(true);
    const path = secretKeyPath(environment);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').equals(first)).toBe(true);
    expect(() => loadKey({ WHETSTONE_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/must be 32 bytes/);
  });
});
