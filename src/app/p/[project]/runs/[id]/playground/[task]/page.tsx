import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { PlaygroundView } from './_components/playground-view';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { requireProject } from '../../../../project-guard';
import { playgroundPath, runPath } from '@/server/shared/urls';

type Params = Promise<{ project: string; id: string; task: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Task names are letters, digits, '-' and '_'; a segment that does not decode cannot name one. */
function taskName(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function generateMetadata({ params }: { params: Params }) {
  const { task } = await params;
  return { title: `Playground ${taskName(task) ?? ''}` };
}

export default async function PlaygroundPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  await requestTime();
  const { project: slug, id, task: encoded } = await params;
  const task = taskName(encoded);
  const { project, role } = await requireProject(slug, task === null ? runPath(slug, id) : playgroundPath(slug, id, task));
  if (!task) notFound();
  const batch = (await searchParams).batch;
  const batchId = typeof batch === 'string' && batch ? batch : null;

  const client = getQueryClient();
  const sourceTask = { project: project.slug, runId: id, task };
  void client.prefetchQuery(trpcServer.playground.history.queryOptions(sourceTask));
  if (batchId && UUID.test(batchId))
    void client.prefetchQuery(trpcServer.playground.batch.queryOptions({ project: project.slug, batchId }));
  try {
    await client.fetchQuery(trpcServer.playground.task.queryOptions(sourceTask));
  } catch (error) {
    // Unknown run or task, another project's run or not a run id at all: a real 404.
    // Anything else (database down…) renders the page, whose client side shows the error and retries.
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
  }
  return (
    <HydrateClient>
      <PlaygroundView project={project.slug} runId={id} task={task} canRun={role !== 'VIEWER'} initialBatchId={batchId} />
    </HydrateClient>
  );
}
