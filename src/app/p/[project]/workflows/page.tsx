import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { WorkflowsList } from './_components/workflows-list';
import { requireProject } from '../project-guard';
import { projectPath } from '@/server/shared/urls';

export const metadata = { title: 'Workflows' };

type Params = Promise<{ project: string }>;

export default async function WorkflowsPage({ params }: { params: Params }) {
  await requestTime();
  const { project: slug } = await params;
  const { project } = await requireProject(slug, projectPath(slug, 'workflows'));
  await getQueryClient().prefetchQuery(trpcServer.workflows.list.queryOptions({ project: project.slug }));
  return (
    <HydrateClient>
      <WorkflowsList project={project.slug} />
    </HydrateClient>
  );
}
