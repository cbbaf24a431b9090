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
    onError({ path, error }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        console.error(`tRPC ${path ?? '<no path>'} failed:`, error.cause ?? error);
      }
    },
  });
}

export { handler as GET, handler as POST };
