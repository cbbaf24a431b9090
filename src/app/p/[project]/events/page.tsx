import { Suspense } from 'react';
import { eventListInput, parseEventFilters } from './_components/events-filters';
import { EventsView } from './_components/events-view';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { requireProject } from '../project-guard';
import { projectPath } from '@/server/shared/urls';

export const metadata = { title: 'Events' };

type Params = Promise<{ project: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EventsPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  await requestTime();
  const { project: slug } = await params;
  const { project, role } = await requireProject(slug, projectPath(slug, 'events'));
  const filters = parseEventFilters(await searchParams);
  const client = getQueryClient();
  await Promise.all([
    client.prefetchInfiniteQuery(
      trpcServer.events.list.infiniteQueryOptions(
        { project: project.slug, ...eventListInput(filters) },
        {
          getNextPageParam: (last) => last.nextCursor ?? undefined,
        },
      ),
    ),
    // An unknown id is not prefetched (only successes are); the detail panel then says "not found".
    filters.id ? client.prefetchQuery(trpcServer.events.get.queryOptions({ project: project.slug, id: filters.id })) : null,
  ]);
  return (
    <HydrateClient>
      <Suspense>
        <EventsView project={project.slug} canEdit={role !== 'VIEWER'} />
      </Suspense>
    </HydrateClient>
  );
}
