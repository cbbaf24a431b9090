import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';
import { isSameOrigin } from './csrf';
import { readCookie } from './sessions';
import { LOGIN_WINDOW_MS, rateLimitDecision, type AttemptRecord } from './sign-in-limiter';

const post = (headers: Record<string, string>) => new Request('http://whetstone.test/api/auth/login', { method: 'POST', headers });

describe('readCookie', () => {
  it('a value that is not valid percent-encoding is no cookie (signed out), not an exception', () => {
    expect(readCookie('ws_session=%E0%A4%A', 'ws_session')).toBeUndefined();
    expect(readCookie('other=%E0%A4%A; ws_session=abc', 'ws_session')).toBe('abc');
    expect(readCookie('ws_session=a%2Bb', 'ws_session')).toBe('a+b');
  });
});

describe('isSameOrigin', () => {
  it('compares Origin with Host', () => {
    expect(isSameOrigin(post({ host: 'whetstone.test', origin: 'http://whetstone.test' }), 0)).toBe(true);
    expect(isSameOrigin(post({ host: 'whetstone.test', origin: 'http://evil.example' }), 0)).toBe(false);
    expect(isSameOrigin(post({ host: 'whetstone.test' }), 0)).toBe(false);
  });

  it('ignores X-Forwarded-Host unless proxies are trusted', () => {
    const forged = post({ host: 'whetstone.test', origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' });
    expect(isSameOrigin(forged, 0)).toBe(false);
    const proxied = post({ host: '10.0.0.5:3000', origin: 'https://ws.example.com', 'x-forwarded-host': 'ws.example.com' });
    expect(isSameOrigin(proxied, 1)).toBe(true);
    expect(isSameOrigin(proxied, 0)).toBe(false);
  });

  it('refuses an Origin or Referer with user info, or another scheme', () => {
    expect(isSameOrigin(post({ host: 'whetstone.test', origin: 'http://evil@whetstone.test' }), 0)).toBe(false);
    expect(isSameOrigin(post({ host: 'whetstone.test', referer: 'http://a:b@whetstone.test/x' }), 0)).toBe(false);
    expect(isSameOrigin(post({ host: 'whetstone.test', origin: 'ftp://whetstone.test' }), 0)).toBe(false);
  });
});

describe('clientAddress', () => {
  const from = (xff?: string) => new Request('http://whetstone.test/', { headers: xff ? { 'x-forwarded-for': xff } : {} });
  it('without trusted proxies: the last entry (what Next.js took from the socket when the client sent none)', () => {
    expect(clientAddress(from('192.0.2.7'), 0)).toBe('192.0.2.7');
    expect(clientAddress(from(), 0)).toBe('unknown');
  });
  it('behind N proxies: the Nth entry from the right, so entries a client prepends do not count', () => {
    expect(clientAddress(from('6.6.6.6, 198.51.100.4'), 1)).toBe('198.51.100.4');
    expect(clientAddress(from('6.6.6.6, 198.51.100.4, 10.0.0.2'), 2)).toBe('198.51.100.4');
    expect(clientAddress(from('198.51.100.4'), 3)).toBe('198.51.100.4');
  });
});

describe('rate-limit decision: per (email, address), per address, and the slower per-email backoff', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const ago = (minutes: number, success = false): AttemptRecord => ({ success, createdAt: new Date(now.getTime() - minutes * 60_000) });
  const failures = (n: number, everyMinutes: number) => Array.from({ length: n }, (_, i) => ago(i * everyMinutes));

  it('5 failures of one email from one address limit that pair', () => {
    expect(rateLimitDecision({ pairAttempts: failures(4, 1), ipAttempts: failures(4, 1), now })).toEqual({ limited: false });
    expect(rateLimitDecision({ pairAttempts: failures(5, 1), ipAttempts: [], now }).limited).toBe(true);
  });

  it("another address's failures for the same email do not lock the owner out below the per-email limit", () => {
    expect(rateLimitDecision({ pairAttempts: [], emailAttempts: failures(49, 1), ipAttempts: [], now })).toEqual({ limited: false });
  });

  it('50 failures of one email from anywhere within an hour limit it, until they age out of the hour', () => {
    const d = rateLimitDecision({ pairAttempts: [], emailAttempts: failures(50, 1), ipAttempts: [], now });
    expect(d).toEqual({ limited: true, retryAfterSeconds: (60 - 49) * 60 });
    expect(rateLimitDecision({ pairAttempts: [], emailAttempts: [...failures(50, 1), ago(0, true)], ipAttempts: [], now })).toEqual({
      limited: false,
    });
  });

  it('never waits longer than the window of the limit reached', () => {
    expect(rateLimitDecision({ pairAttempts: failures(5, 0), ipAttempts: [], now })).toEqual({
      limited: true,
      retryAfterSeconds: LOGIN_WINDOW_MS / 1000,
    });
  });
});
