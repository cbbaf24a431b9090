import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack';
import { createUser, signIn } from '../helpers/users';

// Issue 18 (hardening), against the real `next start`: every REST write and tRPC mutation refuses
// what Postgres cannot store with a 400 naming the field; malformed cookies and paths are not 500s;
// bodies are read with a byte limit; headers; the sign-in limiter under parallel guesses.
describe('hardening against the real server', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.stop());

  const rest = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...headers },
      body,
    });

  it('REST: a NUL or a lone surrogate in any string is a 400 naming its path, not a 500 from Postgres', async () => {
    const nul = await rest('/api/v1/workflows/any/runs', JSON.stringify({ input: { items: [{}, {}, { name: 'a\u0000b' }] } }));
    expect(nul.status).toBe(400);
    expect((await nul.json()).error).toBe(
      'Invalid request: input.items[2].name string contains a NUL character (\\u0000), which cannot be stored',
    );
    const lone = await rest('/api/v1/events', '{"key":"order:\\ud800","payload":{}}');
    expect(lone.status).toBe(400);
    expect((await lone.json()).error).toMatch(/^Invalid request: key string contains a lone UTF-16 surrogate/);
  });

  it('REST: 10 000 levels of nesting is a 400 (the limit is 100), not a stack overflow', async () => {
    const res = await rest('/api/v1/workflows/any/runs', `{"input":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/nested more than 100 levels deep/);
  });

  it('REST: a body that is not application/json is a 415', async () => {
    const res = await rest('/api/v1/workflows/any/runs', '{"input":1}', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect((await res.json()).error).toMatch(/Content-Type: application\/json/);
  });

  it('REST: a chunked body over the limit is cut off at the limit with a 413', async () => {
    const limit = 1024 * 1024;
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(`${stack.url}/api/v1/workflows/any/runs`);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${stack.apiKey}`,
            'content-type': 'application/json',
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', (err) => (String(err).includes('EPIPE') || String(err).includes('ECONNRESET') ? undefined : reject(err)));
      req.write('{"input":"');
      const chunk = 'x'.repeat(64 * 1024);
      // 4 MiB offered; the server should answer after ~1 MiB without waiting for the rest.
      let sent = 0;
      const pump = () => {
        while (sent < 4 * limit) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end('"}');
      };
      pump();
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body).error).toMatch(/^Request body is over 1048576 bytes; the limit is 1048576 bytes/);
  });

  it('REST: a NUL in a path or query parameter is a 400 naming it', async () => {
    const headers = { authorization: `Bearer ${stack.apiKey}` };
    const inPath = await fetch(`${stack.url}/api/v1/runs/abc%00def`, { headers });
    expect(inPath.status).toBe(400);
    expect((await inPath.json()).error).toMatch(/^Invalid request: path\.id string contains a NUL/);
    const inQuery = await fetch(`${stack.url}/api/v1/events?key=a%00b`, { headers });
    expect(inQuery.status).toBe(400);
    expect((await inQuery.json()).error).toMatch(/^Invalid request: query\.key string contains a NUL/);
  });

  it('REST: malformed percent-encoding in the path is a JSON 400, not a plain-text 500', async () => {
    const res = await fetch(`${stack.url}/api/v1/runs/%E0%A4%A`, { headers: { authorization: `Bearer ${stack.apiKey}` } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect((await res.json()).error).toMatch(/not valid percent-encoding/);
  });

  it('a malformed session cookie is "signed out" on pages, tRPC and logout, not a 500', async () => {
    const cookie = 'ws_session=%E0%A4%A';
    const page = await fetch(`${stack.url}/p/default`, { headers: { cookie }, redirect: 'manual' });
    expect(page.status).toBeLessThan(400); // a redirect to /login
    expect(page.headers.get('location') ?? '').toMatch(/\/login\?next=/);
    const login = await fetch(`${stack.url}/login`, { headers: { cookie } });
    expect(login.status).toBe(200);
    const input = encodeURIComponent(JSON.stringify({ json: { project: 'default' } }));
    expect((await fetch(`${stack.url}/api/trpc/system.info?input=${input}`, { headers: { cookie } })).status).toBe(401);
    const out = await fetch(`${stack.url}/api/auth/logout`, { method: 'POST', headers: { cookie, origin: stack.url } });
    expect(out.status).toBe(200);
  });

  it('tRPC: a NUL in a mutation input is a 400 naming input.name; a 500 carries no database text', async () => {
    const user = await createUser(stack.prisma, { role: 'owner', projectId: stack.projectId });
    const cookie = await signIn(stack.url, user.email, user.password);
    const res = await fetch(`${stack.url}/api/trpc/projects.create`, {
      method: 'POST',
      headers: { cookie, origin: stack.url, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { name: 'evil\u0000name' } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string } } };
    expect(body.error.json.message).toBe('Invalid request: input.name string contains a NUL character (\\u0000), which cannot be stored');
  });

  it('sign-in: a body over 8 KiB is a 413, however it is sent', async () => {
    const res = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(20_000) }),
    });
    expect(res.status).toBe(413);
  });

  it('sign-in: 20 parallel wrong guesses from one address get at most 5 password checks (the rest 429)', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${stack.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: stack.url, 'x-forwarded-for': '198.51.100.20' },
          body: JSON.stringify({ email: user.email, password: `wrong-${i}` }),
        }).then((r) => r.status),
      ),
    );
    expect(guesses.filter((s) => s === 401)).toHaveLength(5);
    expect(guesses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('sign-in: someone else failing 5 times for the owner email from their address does not lock the owner out', async () => {
    const owner = await createUser(stack.prisma, { role: 'owner', projectId: stack.projectId });
    const attempt = (password: string, ip: string) =>
      fetch(`${stack.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: stack.url, 'x-forwarded-for': ip },
        body: JSON.stringify({ email: owner.email, password }),
      });
    for (let i = 0; i < 6; i++) await attempt('guess', '203.0.113.66');
    expect((await attempt(owner.password, '203.0.113.66')).status).toBe(429);
    expect((await attempt(owner.password, '192.0.2.1')).status).toBe(200);
  });

  it('sign-in: X-Forwarded-Host does not make a forged Origin same-origin (no trusted proxy configured)', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    const res = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(res.status).toBe(403);
  });

  it('after sign-in, next=/%09/evil.example stays on this site (server-side redirect of a signed-in visitor)', async () => {
    const user = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    const cookie = await signIn(stack.url, user.email, user.password);
    for (const next of ['/%09/evil.example', '/%0A/evil.example', '//evil.example', '/%5Cevil.example']) {
      const res = await fetch(`${stack.url}/login?next=${next}`, { headers: { cookie }, redirect: 'manual' });
      expect(res.status, next).toBeLessThan(400);
      const location = new URL(res.headers.get('location') ?? '', stack.url);
      expect(location.origin, next).toBe(stack.url);
    }
  });

  it('pages carry a nonce CSP and the other security headers; API responses the static ones', async () => {
    const page = await fetch(`${stack.url}/login`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await page.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const second = await fetch(`${stack.url}/login`);
    expect(second.headers.get('content-security-policy')).not.toBe(csp); // a fresh nonce per page
    const api = await fetch(`${stack.url}/api/health`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
