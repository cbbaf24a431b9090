import { Suspense } from 'react';
import { parseRunFilters, runListInput } from './runs/_components/run-filters';
import { RunsTable } from './runs/_components/runs-table';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '../../_trpc/trpc-server';
import { requireProject } from './project-guard';
import { projectPath } from '@/server/shared/urls';

export const metadata = { title: 'Runs' };

type Params = Promise<{ project: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function RunsPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  await requestTime();
  const { project: slug } = await params;
  const { project } = await requireProject(slug, projectPath(slug));
  const filters = parseRunFilters(await searchParams);
  const client = getQueryClient();
  await Promise.all([
    client.prefetchInfiniteQuery(
      trpcServer.runs.list.infiniteQueryOptions(
        { project: project.slug, ...runListInput(filters) },
        {
          getNextPageParam: (last) => last.nextCursor ?? undefined,
        },
      ),
    ),
    client.prefetchQuery(trpcServer.system.info.queryOptions({ project: project.slug })),
  ]);
  return (
    <HydrateClient>
      <Suspense>
        <RunsTable project={project.slug} />
      </Suspense>
    </HydrateClient>
  );
}
