import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { requireProject } from '../project-guard';
import { SettingsView } from './_components/settings-view';
import { projectPath } from '@/server/shared/urls';

export const metadata = { title: 'Settings' };

type Params = Promise<{ project: string }>;

export default async function SettingsPage({ params }: { params: Params }) {
  await requestTime();
  const { project: slug } = await params;
  const { user, project, role } = await requireProject(slug, projectPath(slug, 'settings'));
  const client = getQueryClient();
  await Promise.all([
    client.prefetchQuery(trpcServer.members.list.queryOptions({ project: project.slug })),
    role === 'OWNER' ? client.prefetchQuery(trpcServer.apiKeys.list.queryOptions({ project: project.slug })) : null,
    client.prefetchQuery(trpcServer.system.info.queryOptions({ project: project.slug })),
  ]);
  return (
    <HydrateClient>
      <SettingsView project={project} role={role} currentUserId={user.id} />
    </HydrateClient>
  );
}
