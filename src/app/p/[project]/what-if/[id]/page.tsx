import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { getQueryClient, HydrateClient, requestTime, trpcServer } from '@/app/_trpc/trpc-server';
import { WhatIfReportView } from '../_components/what-if-report';
import { requireProject } from '../../project-guard';
import { whatIfPath } from '@/server/shared/urls';

export const metadata = { title: 'What-if report' };

type Params = Promise<{ project: string; id: string }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function WhatIfReportPage({ params }: { params: Params }) {
  await requestTime();
  const { project: slug, id } = await params;
  const { project, role } = await requireProject(slug, whatIfPath(slug, id));
  if (!UUID.test(id)) notFound();
  try {
    await getQueryClient().fetchQuery(trpcServer.whatIf.get.queryOptions({ project: project.slug, id }));
  } catch (error) {
    // Another project's report or none at all: a 404. Anything else renders the page, whose client side shows the error.
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
  }
  return (
    <HydrateClient>
      <WhatIfReportView project={project.slug} id={id} canRun={role !== 'VIEWER'} />
    </HydrateClient>
  );
}
