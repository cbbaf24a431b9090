import { Suspense } from 'react';
import { parseRunFilters, runListInput } from './_components/run-filters';
import { RunsTable } from './_components/runs-table';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from './_components/trpc-server';

export const metadata = { title: 'Runs' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function RunsPage({ searchParams }: { searchParams: SearchParams }) {
  await requestTime();
  const filters = parseRunFilters(await searchParams);
  await getQueryClient().prefetchInfiniteQuery(
    trpcServer.runs.list.infiniteQueryOptions(runListInput(filters), {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  );
  return (
    <HydrateClient>
      <Suspense>
        <RunsTable />
      </Suspense>
    </HydrateClient>
  );
}
