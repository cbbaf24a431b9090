/** Liveness probe: answers as soon as the web process serves requests (no DB round trip). */
export function GET(): Response {
  return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
}
