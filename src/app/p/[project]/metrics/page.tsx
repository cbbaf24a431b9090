import { Suspense } from 'react';
import { metricsInput, parseMetricsFilters } from './_components/metrics-filters';
import { MetricsView } from './_components/metrics-view';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { requireProject } from '../project-guard';
import { projectPath } from '@/server/shared/urls';

export const metadata = { title: 'Metrics' };

type Params = Promise<{ project: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function MetricsPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  await requestTime();
  const { project: slug } = await params;
  const { project } = await requireProject(slug, projectPath(slug, 'metrics'));
  const filters = parseMetricsFilters(await searchParams);
  const client = getQueryClient();
  await Promise.all([
    client.prefetchQuery(trpcServer.metrics.overview.queryOptions(metricsInput(project.slug, filters))),
    client.prefetchQuery(trpcServer.system.info.queryOptions({ project: project.slug })),
  ]);
  return (
    <HydrateClient>
      <Suspense>
        <MetricsView project={project.slug} />
      </Suspense>
    </HydrateClient>
  );
}
