import { isSameOrigin } from '@/server/auth/csrf';
import { clientIp, isHttps, login } from '@/server/auth/login';
import { sessionCookie } from '@/server/auth/sessions';
import { db } from '@/server/db/client';
import { readLimitedText, RequestRefused } from '@/server/http/body';

/** An email (≤ 320) and a password (≤ 1024) as JSON fit with room to spare. */
const LOGIN_BODY_LIMIT = 8 * 1024;

/** POST {email, password} → sets the session cookie; {ok: true} or {error} with 401/429. */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request)) return Response.json({ error: 'Cross-origin request refused' }, { status: 403 });
  let body: unknown;
  try {
    // Unauthenticated: read at most LOGIN_BODY_LIMIT bytes, then give up (413).
    body = JSON.parse(await readLimitedText(request, LOGIN_BODY_LIMIT, 'sign-in requests'));
  } catch (err) {
    if (err instanceof RequestRefused) return Response.json({ error: err.message }, { status: err.status });
    return Response.json({ error: 'Send JSON: {"email": "...", "password": "..."}' }, { status: 400 });
  }
  const { email, password } = (body ?? {}) as { email?: unknown; password?: unknown };
  if (typeof email !== 'string' || typeof password !== 'string' || !email.trim() || !password) {
    return Response.json({ error: 'Enter your email and password' }, { status: 400 });
  }
  if (email.length > 320 || password.length > 1024) {
    return Response.json({ error: 'Wrong email or password' }, { status: 401 });
  }

  const result = await login(db(), { email, password, ip: clientIp(request), userAgent: request.headers.get('user-agent') });
  if (!result.ok) {
    const headers: Record<string, string> = result.retryAfterSeconds ? { 'retry-after': String(result.retryAfterSeconds) } : {};
    return Response.json({ error: result.message }, { status: result.status, headers });
  }
  return Response.json(
    { ok: true },
    { headers: { 'set-cookie': sessionCookie(result.token, result.expiresAt, isHttps(request)), 'cache-control': 'no-store' } },
  );
}
