/**
 * The dashboard's security headers (docs/security.md). `src/proxy.ts` sets the
 * Content-Security-Policy on every page with a fresh nonce (Next.js reads it from the request's
 * CSP header and puts it on its own scripts); next.config.mjs sets the static headers on every
 * response, files and API included.
 */

/** Base64 of 16 random bytes: a fresh nonce per page. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * - scripts: only those carrying the nonce, and what they load ('strict-dynamic': Next's chunks,
 *   Monaco's bundle); `'unsafe-eval'` only under `next dev` (React's dev tooling evals);
 * - workers: Monaco's editor and JSON workers, bundled and served from this origin ('self'; blob:
 *   for bundlers that wrap a worker in a blob URL);
 * - styles: 'unsafe-inline', because Monaco writes <style> elements and style attributes at run
 *   time without a nonce (styles cannot run code; scripts stay nonce-only);
 * - no plugins, no <base>, forms only to this origin, never framed (frame-ancestors 'none').
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** On every response (next.config.mjs lists the same). */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

/** True when every `/`-separated segment of a raw (still encoded) path decodes: `%E0%A4%A` does not. */
export function isDecodablePath(rawPath: string): boolean {
  try {
    for (const segment of rawPath.split('/')) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}
