import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { RunDetail } from './_components/run-detail';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { requireProject } from '../../project-guard';
import { runPath } from '@/server/shared/urls';

type Params = Promise<{ project: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }) {
  const { id } = await params;
  return { title: `Run ${id.slice(0, 8)}` };
}

export default async function RunPage({ params }: { params: Params }) {
  await requestTime();
  const { project: slug, id } = await params;
  const { project } = await requireProject(slug, runPath(slug, id));
  const client = getQueryClient();
  void client.prefetchQuery(trpcServer.system.info.queryOptions({ project: project.slug }));
  try {
    await client.fetchQuery(trpcServer.runs.get.queryOptions({ project: project.slug, id }));
  } catch (error) {
    // Unknown run, another project's run or not a run id at all: a real 404.
    // Anything else (database down…) renders the page, whose client side shows the error and retries.
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
  }
  return (
    <HydrateClient>
      <RunDetail project={project.slug} id={id} />
    </HydrateClient>
  );
}
