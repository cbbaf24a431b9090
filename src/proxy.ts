import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, isDecodablePath, newNonce, STATIC_SECURITY_HEADERS } from '@/server/http/security-headers';

/**
 * Next.js 16 Proxy (formerly middleware), on every request but static files:
 *
 * - a path whose percent-encoding does not decode (`/api/v1/runs/%E0%A4%A`) gets a JSON 400
 *   instead of Next's plain-text 500;
 * - pages get a Content-Security-Policy with a fresh nonce. It is set on the request too, where
 *   Next.js reads the nonce for its own inline and bundle scripts (pages render dynamically: the
 *   root layout reads the session cookie).
 */
export function proxy(request: NextRequest): NextResponse {
  const rawPath = new URL(request.url).pathname;
  if (!isDecodablePath(rawPath)) {
    return NextResponse.json(
      { error: 'Invalid request: the URL path is not valid percent-encoding (UTF-8)' },
      { status: 400, headers: STATIC_SECURITY_HEADERS },
    );
  }
  if (rawPath.startsWith('/api/')) return NextResponse.next();

  const nonce = newNonce();
  // `next dev` only: React's development build evaluates code; production never needs 'unsafe-eval'.
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)' }],
};
