// Server-only: prefetch tRPC queries in server components and hand the
// results to the client components' cache (no loading flash, real HTML for curl).
import { dehydrate, HydrationBoundary, type QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import { cache, type ReactNode } from 'react';
import { appRouter } from '@/server/router';
import { createContext } from '@/server/trpc';
import { makeQueryClient } from './query-client';

/** The page's query client: one per request (React `cache`). */
export const getQueryClient = cache(makeQueryClient);

export const trpcServer = createTRPCOptionsProxy({
  ctx: async () => createContext({ cookieHeader: (await headers()).get('cookie') }),
  router: appRouter,
  queryClient: getQueryClient,
});

/** Marks the render as request-time (never prerendered at build: it reads the database). */
export async function requestTime(): Promise<void> {
  await connection();
}

/** Hands what `client` (default: the page's) has fetched to the client components below. */
export function HydrateClient({ children, client }: { children: ReactNode; client?: QueryClient }) {
  return <HydrationBoundary state={dehydrate(client ?? getQueryClient())}>{children}</HydrationBoundary>;
}
