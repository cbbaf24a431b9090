import { UsageOverview } from './_components/usage-overview';
import { parseUsageRange, usageRangeInput } from './_components/usage-range';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { requireProject } from '../project-guard';
import { projectPath } from '@/server/shared/urls';

export const metadata = { title: 'LLM usage' };

type Params = Promise<{ project: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const param = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.slice(0, 40) ?? '';

export default async function UsagePage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  await requestTime();
  const { project: slug } = await params;
  const { project } = await requireProject(slug, projectPath(slug, 'usage'));
  const query = await searchParams;
  // Computed here and handed down, so the browser asks for exactly what was prefetched.
  const range = parseUsageRange(query, Date.now());
  await getQueryClient().prefetchQuery(trpcServer.usage.byWorkflow.queryOptions({ project: project.slug, ...usageRangeInput(range) }));
  return (
    <HydrateClient>
      <UsageOverview project={project.slug} range={range} fromParam={param(query.from)} toParam={param(query.to)} />
    </HydrateClient>
  );
}
