/**
 * True when the request's Origin (or, failing that, Referer) is this server.
 * Browsers always send Origin on cross-site POSTs, so a state-changing request
 * without a matching one is refused.
 */
export function isSameOrigin(request: Request): boolean {
  const source = request.headers.get('origin') ?? request.headers.get('referer');
  if (!source) return false;
  let origin: string;
  try {
    origin = new URL(source).host;
  } catch {
    return false;
  }
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  return origin === host;
}
