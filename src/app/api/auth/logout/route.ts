import { isSameOrigin } from '@/server/auth/csrf';
import { clearedSessionCookie, deleteSession, readCookie, SESSION_COOKIE } from '@/server/auth/sessions';
import { db } from '@/server/db/client';

/** POST: ends the session server-side (the old cookie stops working) and clears the cookie. */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request)) return Response.json({ error: 'Cross-origin request refused' }, { status: 403 });
  await deleteSession(db(), readCookie(request.headers.get('cookie'), SESSION_COOKIE));
  return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' } });
}
