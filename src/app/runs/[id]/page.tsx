import { notFound, redirect } from 'next/navigation';
import { requireUser } from '@/server/auth/page-guard';
import { db } from '@/server/db/client';
import { requestTime } from '../../_trpc/trpc-server';
import { runPath } from '@/server/shared/urls';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Old links (`/runs/<id>`, before projects) go to the run in its project, if the user may see it. */
export default async function LegacyRunPage({ params }: { params: Promise<{ id: string }> }) {
  await requestTime();
  const { id } = await params;
  const user = await requireUser(`/runs/${id}`);
  if (!UUID.test(id)) notFound();
  const run = await db().workflowRun.findFirst({
    where: { id, project: { members: { some: { userId: user.id } } } },
    select: { project: { select: { slug: true } } },
  });
  if (!run) notFound();
  redirect(runPath(run.project.slug, id));
}
