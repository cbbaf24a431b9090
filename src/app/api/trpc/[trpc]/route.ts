import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { isSameOrigin } from '@/server/auth/csrf';
import { appRouter } from '@/server/router';
import { createContext } from '@/server/trpc';

function handler(req: Request): Promise<Response> | Response {
  // Mutations change state: refuse them from other origins (CSRF), on top of the SameSite cookie.
  if (req.method !== 'GET' && !isSameOrigin(req)) {
    return Response.json({ error: 'Cross-origin request refused' }, { status: 403 });
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createContext({ cookieHeader: req.headers.get('cookie') }),
    // Unexpected 500s are logged, with the error id the browser gets, by errorFormatter (src/server/trpc.ts).
  });
}

export { handler as GET, handler as POST };
