import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { WorkflowDetail } from '../_components/workflows-detail';
import { parseVersionParam, workflowGetInput } from '../_components/workflows-version-param';
import { requireProject } from '../../project-guard';
import { projectPath, workflowPath } from '@/server/shared/urls';

type Params = Promise<{ project: string; name: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Workflow names are letters, digits, '-' and '_'; anything else in the URL cannot name one. */
function workflowName(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export async function generateMetadata({ params }: { params: Params }) {
  const { name } = await params;
  return { title: `Workflow ${workflowName(name) ?? ''}` };
}

export default async function WorkflowPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  await requestTime();
  const { project: slug, name: encoded } = await params;
  const name = workflowName(encoded);
  const { project, role } = await requireProject(slug, name === null ? projectPath(slug, 'workflows') : workflowPath(slug, name));
  if (!name) notFound();
  const version = parseVersionParam(await searchParams);
  const client = getQueryClient();
  try {
    await client.fetchQuery(trpcServer.workflows.get.queryOptions(workflowGetInput(project.slug, name, version)));
  } catch (error) {
    // Unknown workflow (or version): a real 404. Anything else renders the page, whose client side shows the error.
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
  }
  return (
    <HydrateClient>
      <Suspense>
        <WorkflowDetail project={project.slug} name={name} canEdit={role !== 'VIEWER'} />
      </Suspense>
    </HydrateClient>
  );
}
