import { SchedulesView } from './_components/schedules-view';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { requireProject } from '../project-guard';
import { projectPath } from '@/server/shared/urls';

export const metadata = { title: 'Schedules' };

type Params = Promise<{ project: string }>;

export default async function SchedulesPage({ params }: { params: Params }) {
  await requestTime();
  const { project: slug } = await params;
  const { project, role } = await requireProject(slug, projectPath(slug, 'schedules'));
  const client = getQueryClient();
  await Promise.all([
    client.prefetchQuery(trpcServer.schedules.list.queryOptions({ project: project.slug })),
    client.prefetchQuery(trpcServer.system.info.queryOptions({ project: project.slug })),
  ]);
  return (
    <HydrateClient>
      <SchedulesView project={project.slug} canEdit={role !== 'VIEWER'} />
    </HydrateClient>
  );
}
