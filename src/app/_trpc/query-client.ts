import { QueryClient } from '@tanstack/react-query';
import superjson from 'superjson';

/**
 * One factory for the server (per request, to prefetch) and the browser (one
 * per tab). Dehydrated server data crosses to the client through superjson so
 * Dates and BigInts survive. Only settled successful queries are dehydrated
 * (the default): server components await their prefetches, and streaming a
 * pending one would also stream its failure (e.g. the 404 of an unknown run).
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 2_000, retry: 1 },
      dehydrate: { serializeData: superjson.serialize },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
