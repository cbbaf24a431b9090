import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { WorkersView } from './_components/workers-view';
import { requireProject } from '../project-guard';
import { projectPath } from '@/server/shared/urls';

export const metadata = { title: 'Workers' };

type Params = Promise<{ project: string }>;

export default async function WorkersPage({ params }: { params: Params }) {
  await requestTime();
  const { project: slug } = await params;
  const { project } = await requireProject(slug, projectPath(slug, 'workers'));
  const client = getQueryClient();
  await Promise.all([
    client.prefetchQuery(trpcServer.workers.list.queryOptions({ project: project.slug })),
    client.prefetchQuery(trpcServer.system.info.queryOptions({ project: project.slug })),
  ]);
  return (
    <HydrateClient>
      <WorkersView project={project.slug} />
    </HydrateClient>
  );
}
