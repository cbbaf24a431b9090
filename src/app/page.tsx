import Link from 'next/link';
import { redirect } from 'next/navigation';
import { requireUser } from '@/server/auth/page-guard';
import { db } from '@/server/db/client';
import { myProjects } from '@/server/projects/router';
import { CreateProjectForm } from './create-project';
import { requestTime } from './_trpc/trpc-server';
import { projectPath } from '@/server/shared/urls';

export const metadata = { title: 'Projects' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** `/`: the user's first project, or (none yet, or `?new`) a form to create one. */
export default async function Home({ searchParams }: { searchParams: SearchParams }) {
  await requestTime();
  const user = await requireUser('/');
  const projects = await myProjects(db(), user.id);
  const wantsNew = (await searchParams).new !== undefined;
  if (projects[0] && !wantsNew) redirect(projectPath(projects[0].slug));
  return (
    <section className="narrow-page" data-testid="no-project" style={{ maxWidth: 560 }}>
      <div className="page-title">
        <h1>{projects.length ? 'New project' : 'You are not a member of any project'}</h1>
      </div>
      {projects.length ? (
        <p className="muted">
          Each project has its own runs, workers, API keys and members. Or go back to{' '}
          <Link href={projectPath(projects[0]!.slug)}>{projects[0]!.name}</Link>.
        </p>
      ) : (
        <p className="muted">
          Ask an owner of an existing project to add you (Settings → Members), or create a project of your own: you will be its owner.
        </p>
      )}
      <div className="panel">
        <CreateProjectForm />
      </div>
    </section>
  );
}
