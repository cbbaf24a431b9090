import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { WhatIfList } from './_components/what-if-list';
import { requireProject } from '../project-guard';
import { whatIfPath } from '@/server/shared/urls';

export const metadata = { title: 'What-if reports' };

type Params = Promise<{ project: string }>;

export default async function WhatIfListPage({ params }: { params: Params }) {
  await requestTime();
  const { project: slug } = await params;
  const { project } = await requireProject(slug, whatIfPath(slug));
  await getQueryClient().prefetchQuery(trpcServer.whatIf.list.queryOptions({ project: project.slug }));
  return (
    <HydrateClient>
      <WhatIfList project={project.slug} />
    </HydrateClient>
  );
}
