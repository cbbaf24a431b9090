import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { env, LOCAL_REDIS_URL, parseEnv, settings, VARIABLE_NAMES } from './env';

afterEach(() => vi.unstubAllEnvs());

describe('settings()', () => {
  it('has the defaults, and needs no DATABASE_URL', () => {
    expect(settings({})).toEqual({
      WHETSTONE_QUEUE_PREFIX: 'whetstone',
      WHETSTONE_MAX_PAYLOAD_BYTES: 1024 * 1024,
      WHETSTONE_TASK_LOCK_MS: 30_000,
      WHETSTONE_RECOVERY_INTERVAL_MS: 5_000,
      WHETSTONE_RECOVERY_GRACE_MS: 10_000,
      WHETSTONE_GITHUB_API_URL: 'https://api.github.com',
      WHETSTONE_DB_POOL_MAX: 10,
      WHETSTONE_QUEUE_POOL_MAX: 3,
    });
  });

  it('parses what is set, ignores undeclared names and takes an empty value as unset', () => {
    const parsed = settings({
      WHETSTONE_TRANSPORT: 'postgres',
      WHETSTONE_DB_POOL_MAX: ' 4 ',
      WHETSTONE_RECOVERY_GRACE_MS: '0',
      WHETSTONE_GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      WHETSTONE_QUEUE_PREFIX: '',
      REDIS_URL: '',
      SOMETHING_ELSE: 'x',
    });
    expect(parsed).toMatchObject({
      WHETSTONE_TRANSPORT: 'postgres',
      WHETSTONE_DB_POOL_MAX: 4,
      WHETSTONE_RECOVERY_GRACE_MS: 0,
      WHETSTONE_GITHUB_API_URL: 'https://ghe.example.com/api/v3',
      WHETSTONE_QUEUE_PREFIX: 'whetstone',
    });
    expect(parsed.REDIS_URL).toBeUndefined();
    expect(parsed).not.toHaveProperty('SOMETHING_ELSE');
  });

  it('names the variable of a bad value, one line each', () => {
    expect(() => settings({ WHETSTONE_DB_POOL_MAX: 'ten' })).toThrow(
      'Invalid environment: WHETSTONE_DB_POOL_MAX must be a whole number of at least 1, not "ten"',
    );
    expect(() => settings({ WHETSTONE_TASK_LOCK_MS: '500' })).toThrow(
      'WHETSTONE_TASK_LOCK_MS must be a whole number of at least 1000, not "500"',
    );
    expect(() => settings({ WHETSTONE_MAX_PAYLOAD_BYTES: '1.5' })).toThrow(/WHETSTONE_MAX_PAYLOAD_BYTES must be a whole number/);
    expect(() => settings({ WHETSTONE_TRANSPORT: 'kafka' })).toThrow('WHETSTONE_TRANSPORT must be "redis" or "postgres", not "kafka"');
    expect(() => settings({ WHETSTONE_QUEUE_PREFIX: 'x'.repeat(29) })).toThrow(/WHETSTONE_QUEUE_PREFIX must be at most 28 characters/);
    expect(() => settings({ WHETSTONE_QUEUE_PREFIX: 'a:b' })).toThrow(/WHETSTONE_QUEUE_PREFIX must be letters, digits/);
    expect(() => settings({ WHETSTONE_GITHUB_API_URL: 'ftp://github.example.com' })).toThrow(
      /WHETSTONE_GITHUB_API_URL must be an http\(s\) URL/,
    );
    expect(() => settings({ WHETSTONE_PUBLIC_URL: 'localhost:3000' })).toThrow(/WHETSTONE_PUBLIC_URL must be an http\(s\) URL/);

    let message = '';
    try {
      settings({ WHETSTONE_TRANSPORT: 'kafka', WHETSTONE_QUEUE_POOL_MAX: '0' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid environment:',
      '  WHETSTONE_TRANSPORT must be "redis" or "postgres", not "kafka"',
      '  WHETSTONE_QUEUE_POOL_MAX must be a whole number of at least 1, not "0"',
    ]);
  });

  it('never repeats a value that may be secret', () => {
    const secret = 'c2hvcnQ=';
    expect(() => settings({ WHETSTONE_SECRET_KEY: secret })).toThrow('WHETSTONE_SECRET_KEY must be 32 bytes, base64-encoded');
    expect(() => settings({ WHETSTONE_SECRET_KEY: secret })).not.toThrow(secret);
    expect(() => settings({ REDIS_URL: 'http://user:hunter2@cache:6379' })).toThrow('REDIS_URL must be a redis:// or rediss:// URL');
    expect(() => settings({ REDIS_URL: 'http://user:hunter2@cache:6379' })).not.toThrow('hunter2');
    expect(settings({ WHETSTONE_SECRET_KEY: Buffer.alloc(32, 1).toString('base64') }).WHETSTONE_SECRET_KEY).toBeDefined();
  });
});

describe('env()', () => {
  it('requires DATABASE_URL, and gives the transport and Redis their server defaults', () => {
    expect(() => parseEnv({})).toThrow(
      'Invalid environment: DATABASE_URL is not set: run `npm start`, or point it at a PostgreSQL database',
    );
    expect(() => parseEnv({ DATABASE_URL: '' })).toThrow(/DATABASE_URL is not set/);
    expect(parseEnv({ DATABASE_URL: 'postgresql://db/app' })).toMatchObject({
      DATABASE_URL: 'postgresql://db/app',
      WHETSTONE_TRANSPORT: 'redis',
      REDIS_URL: LOCAL_REDIS_URL,
      WHETSTONE_TASK_LOCK_MS: 30_000,
    });
  });

  it('reads process.env once per process', () => {
    vi.stubEnv('DATABASE_URL', 'postgresql://db/first');
    vi.stubEnv('WHETSTONE_TRANSPORT', 'postgres');
    const first = env();
    expect(first).toMatchObject({ DATABASE_URL: 'postgresql://db/first', WHETSTONE_TRANSPORT: 'postgres' });
    vi.stubEnv('DATABASE_URL', 'postgresql://db/second');
    expect(env()).toBe(first);
    // settings() reads again on every call (scripts and tests change process.env as they go).
    expect(settings().DATABASE_URL).toBe('postgresql://db/second');
  });
});

describe('docs/reliability.md', () => {
  it('lists every declared variable, with its default', () => {
    const table = readFileSync(new URL('../../docs/reliability.md', import.meta.url), 'utf8');
    const defaults: Record<string, unknown> = settings({});
    for (const name of VARIABLE_NAMES) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `${name} has no row in the Server settings table`).toBeDefined();
      if (defaults[name] !== undefined) expect(row!.split('|')[2], `${name}'s default`).toContain(`\`${String(defaults[name])}\``);
    }
  });
});
