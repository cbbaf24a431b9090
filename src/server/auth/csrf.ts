import { trustedProxies } from './client-address';

/**
 * True when the request's Origin (or, failing that, Referer) is this server.
 * Browsers always send Origin on cross-site POSTs, so a state-changing request
 * without a matching one is refused. An Origin with user info (`http://x@host`)
 * is never a browser's and is refused. X-Forwarded-Host counts as this server's
 * host only behind configured proxies (WHETSTONE_TRUSTED_PROXIES ≥ 1): otherwise
 * any client could send it along with a matching forged Origin.
 */
export function isSameOrigin(request: Request, proxies = trustedProxies()): boolean {
  const source = request.headers.get('origin') ?? request.headers.get('referer');
  if (!source) return false;
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return false;
  }
  if (url.username || url.password || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  const forwarded = proxies > 0 ? request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  const host = forwarded || request.headers.get('host');
  return Boolean(host) && url.host === host!.toLowerCase();
}
