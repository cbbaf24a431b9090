import { describe, expect, it } from 'vitest';
import { describeTransport, redactUrl } from './transport-label';

describe('redactUrl', () => {
  it('replaces the password and keeps the rest', () => {
    expect(redactUrl('postgresql://app:s3cr%40t@db.internal:5432/whetstone')).toBe('postgresql://app:***@db.internal:5432/whetstone');
    expect(redactUrl('redis://:hunter2@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0');
  });
  it('redacts password-like query parameters', () => {
    const out = redactUrl('postgresql://db/x?sslmode=require&password=abc&sslpassword=def');
    expect(out).not.toContain('abc');
    expect(out).not.toContain('def');
    expect(out).toContain('sslmode=require');
  });
  it('leaves URLs without credentials unchanged', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('postgresql://postgres@127.0.0.1:5432/w')).toBe('postgresql://postgres@127.0.0.1:5432/w');
  });
  it('still redacts strings the URL parser rejects', () => {
    const out = redactUrl('not a url //user:pa ss@host and ?token=xyz');
    expect(out).not.toContain('xyz');
    expect(redactUrl('//user:secret@host:1')).toBe('//user:***@host:1');
  });
});

describe('describeTransport', () => {
  const databaseUrl = 'postgresql://postgres:pw@127.0.0.1:5432/whetstone';
  it('labels Redis with host and port, never the password', () => {
    const info = describeTransport({ transport: 'redis', redisUrl: 'redis://:pw@10.0.0.5/1', databaseUrl });
    expect(info).toEqual({ kind: 'redis', label: 'Redis 10.0.0.5:6379', url: 'redis://:***@10.0.0.5/1' });
  });
  it('marks TLS', () => {
    expect(describeTransport({ transport: 'redis', redisUrl: 'rediss://cache:6380', databaseUrl }).label).toBe('Redis cache:6380 (TLS)');
  });
  it('labels the Postgres backend and redacts the database URL', () => {
    const info = describeTransport({ transport: 'postgres', redisUrl: 'redis://x', databaseUrl });
    expect(info.label).toBe('PostgreSQL (BullMQ Postgres backend)');
    expect(info.url).toBe('postgresql://postgres:***@127.0.0.1:5432/whetstone');
    expect(JSON.stringify(info)).not.toContain(':pw@');
  });
});
