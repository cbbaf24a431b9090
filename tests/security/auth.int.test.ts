import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_WINDOW_MS, rateLimitDecision, type AttemptRecord } from '../../src/server/auth/sign-in-limiter';
import { startTestStack, type TestStack } from '../helpers/stack';
import { createUser, signIn } from '../helpers/users';

describe('rate-limit window (pure)', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const ago = (minutes: number, success = false): AttemptRecord => ({ success, createdAt: new Date(now.getTime() - minutes * 60_000) });
  // The 5-failure limit is per (email, address) now; the email's attempts here are all from one address.
  const decide = (pairAttempts: AttemptRecord[], ipAttempts: AttemptRecord[] = []) =>
    rateLimitDecision({ pairAttempts, emailAttempts: pairAttempts, ipAttempts, now });

  it('allows 4 failures, refuses at 5 until the oldest leaves the 15-minute window', () => {
    expect(decide([ago(1), ago(2), ago(3), ago(4)])).toEqual({ limited: false });
    expect(decide([ago(10), ago(1), ago(2), ago(3), ago(4)])).toEqual({ limited: true, retryAfterSeconds: 5 * 60 });
  });

  it('ignores failures older than the window', () => {
    expect(decide([ago(16), ago(20), ago(1), ago(2), ago(3)])).toEqual({ limited: false });
  });

  it('counts only failures since the last success for the email', () => {
    expect(decide([ago(9), ago(8), ago(7), ago(6), ago(5, true), ago(1)])).toEqual({ limited: false });
    expect(decide([ago(9, true), ago(8), ago(7), ago(6), ago(5), ago(1)])).toEqual({ limited: true, retryAfterSeconds: 7 * 60 });
  });

  it('with more than 5 failures, waits until only 4 remain', () => {
    // failures at 14, 12, 10, 8, 6, 4 minutes ago: the 12-minute one must age out too.
    expect(decide([ago(14), ago(12), ago(10), ago(8), ago(6), ago(4)])).toEqual({ limited: true, retryAfterSeconds: 3 * 60 });
  });

  it('limits an address at 30 failures, whatever the emails, and a success does not reset it', () => {
    const failures = Array.from({ length: 29 }, (_, i) => ago(i * 0.4));
    expect(decide([], [...failures, ago(0, true)])).toEqual({ limited: false });
    const decision = decide([], [...failures, ago(14)]);
    expect(decision.limited).toBe(true);
    expect(decision.limited && decision.retryAfterSeconds).toBe(60);
  });

  it('never asks for a wait longer than the window', () => {
    const d = decide([ago(0), ago(0), ago(0), ago(0), ago(0)]);
    expect(d).toEqual({ limited: true, retryAfterSeconds: LOGIN_WINDOW_MS / 1000 });
  });
});

describe('sign-in, sessions and CSRF against the real server', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.stop());

  const login = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url, ...headers },
      body: JSON.stringify(body),
    });
  // A viewer procedure: needs a session and membership of the project.
  const infoInput = encodeURIComponent(JSON.stringify({ json: { project: 'default' } }));
  const systemInfo = (cookie?: string) =>
    fetch(`${stack.url}/api/trpc/system.info?input=${infoInput}`, { headers: cookie ? { cookie } : {} });

  it('signing in sets an HttpOnly SameSite=Lax session cookie that tRPC accepts; without it tRPC says 401', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    const res = await login({ email: user.email, password: user.password });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^ws_session=[\w-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure'); // plain http here; https requests get Secure
    // Only the token's hash is stored.
    const token = setCookie.split(';')[0]!.slice('ws_session='.length);
    const sessions = await stack.prisma.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.id).not.toBe(token);

    const signedIn = await systemInfo(setCookie.split(';')[0]);
    expect(signedIn.status).toBe(200);
    expect((await signedIn.json()).result.data.json.transport).toBeDefined();

    const anonymous = await systemInfo();
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.json.data.code).toBe('UNAUTHORIZED');
  });

  it('behind an https proxy the cookie is Secure', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    const res = await login({ email: user.email, password: user.password }, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('email is matched trimmed and case-insensitively', async () => {
    const user = await createUser(stack.prisma, { email: 'casey@example.test', role: 'viewer', projectId: stack.projectId });
    expect((await login({ email: '  Casey@Example.TEST ', password: user.password })).status).toBe(200);
  });

  it('a wrong password and an unknown email get the same 401 answer', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    const wrong = await login({ email: user.email, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'Wrong email or password' });
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const unknown = await login({ email: 'nobody@example.test', password: 'whatever-it-is' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: 'Wrong email or password' });
    expect(await stack.prisma.loginAttempt.count({ where: { email: { in: [user.email, 'nobody@example.test'] }, success: false } })).toBe(
      2,
    );
  });

  it('missing fields or a non-JSON body get 400', async () => {
    expect((await login({ email: 'a@example.test' })).status).toBe(400);
    const res = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { origin: stack.url }, body: 'email=a' });
    expect(res.status).toBe(400);
  });

  it('after 5 failures for an email the 6th attempt gets 429, even with the right password; other emails still sign in', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    for (let i = 0; i < 5; i++) expect((await login({ email: user.email, password: `wrong-${i}` })).status).toBe(401);
    const limited = await login({ email: user.email, password: user.password });
    expect(limited.status).toBe(429);
    expect((await limited.json()).error).toBe('Too many sign-in attempts; try again in 15 minutes');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(limited.headers.get('set-cookie')).toBeNull();
    expect(await stack.prisma.loginAttempt.count({ where: { email: user.email } })).toBe(6);

    const other = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    expect((await login({ email: other.email, password: other.password })).status).toBe(200);
  });

  it('a success resets the per-email count', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    for (let i = 0; i < 4; i++) expect((await login({ email: user.email, password: 'wrong' })).status).toBe(401);
    expect((await login({ email: user.email, password: user.password })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login({ email: user.email, password: 'wrong' })).status).toBe(401);
    expect((await login({ email: user.email, password: user.password })).status).toBe(200);
  });

  it('30 failures from one address (any emails) block that address, not others', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    // One entry: with no trusted proxy (WHETSTONE_TRUSTED_PROXIES unset) the last entry is the address.
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 30; i++) {
      expect((await login({ email: `spray-${i}@example.test`, password: 'guess' }, from('203.0.113.9'))).status).toBe(401);
    }
    const blocked = await login({ email: user.email, password: user.password }, from('203.0.113.9'));
    expect(blocked.status).toBe(429);
    expect((await blocked.json()).error).toMatch(/^Too many sign-in attempts; try again in \d+ minutes?$/);
    expect((await login({ email: user.email, password: user.password }, from('203.0.113.10'))).status).toBe(200);
  });

  it('signing out deletes the session server-side: the old cookie no longer works', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    const cookie = await signIn(stack.url, user.email, user.password);
    expect((await systemInfo(cookie)).status).toBe(200);

    const out = await fetch(`${stack.url}/api/auth/logout`, { method: 'POST', headers: { cookie, origin: stack.url } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^ws_session=;.*Max-Age=0/);
    expect(await stack.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await systemInfo(cookie)).status).toBe(401);
  });

  it('cross-origin POSTs are refused with 403 (login, logout, tRPC)', async () => {
    const user = await createUser(stack.prisma, { role: 'owner', projectId: stack.projectId });
    const evil = { origin: 'http://evil.example' };
    const crossLogin = await login({ email: user.email, password: user.password }, evil);
    expect(crossLogin.status).toBe(403);
    expect(crossLogin.headers.get('set-cookie')).toBeNull();
    const noOrigin = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(noOrigin.status).toBe(403);
    expect(await stack.prisma.loginAttempt.count({ where: { email: user.email } })).toBe(0);

    const cookie = await signIn(stack.url, user.email, user.password);
    const crossLogout = await fetch(`${stack.url}/api/auth/logout`, { method: 'POST', headers: { cookie, ...evil } });
    expect(crossLogout.status).toBe(403);
    expect((await systemInfo(cookie)).status).toBe(200); // still signed in

    const crossTrpc = await fetch(`${stack.url}/api/trpc/system.info`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', ...evil },
      body: '{}',
    });
    expect(crossTrpc.status).toBe(403);
  });
});
