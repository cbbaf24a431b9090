import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { RunDetail } from '../../_components/run-detail';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '../../_components/trpc-server';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }) {
  const { id } = await params;
  return { title: `Run ${id.slice(0, 8)}` };
}

export default async function RunPage({ params }: { params: Params }) {
  await requestTime();
  const { id } = await params;
  try {
    await getQueryClient().fetchQuery(trpcServer.runs.get.queryOptions({ id }));
  } catch (error) {
    // Unknown run or not a run id at all: a real 404. Anything else (database
    // down…) renders the page, whose client side shows the error and retries.
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
  }
  return (
    <HydrateClient>
      <RunDetail id={id} />
    </HydrateClient>
  );
}
