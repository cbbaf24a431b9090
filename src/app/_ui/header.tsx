'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams, usePathname, useRouter } from 'next/navigation';
import { useTRPC } from '../_trpc/providers';
import { UserMenu } from './user-menu';
import { projectPath, type ProjectSection } from '@/server/shared/urls';

type Transport = { kind: string; label: string; url: string };

/** Transport (same for every project) and, inside a project, its live workers and workflows. */
function HeaderStatus({ transport, project }: { transport: Transport | null | undefined; project: string | undefined }) {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions({ project: project ?? '' }, { enabled: Boolean(project), refetchInterval: 5_000 }));
  const shown = info.data?.transport ?? transport;
  return (
    <div className="header-status">
      {shown ? (
        <span
          className={`transport-badge transport-${shown.kind}`}
          data-testid="transport"
          data-kind={shown.kind}
          title={`Queue transport: ${shown.url}`}
        >
          {shown.label}
        </span>
      ) : null}
      {!project || !info.data ? null : info.data.database === 'ok' ? (
        <span className="header-counts" data-testid="live-workers">
          <span className={info.data.liveWorkerCount > 0 ? 'dot dot-live' : 'dot'} aria-hidden />
          {info.data.liveWorkerCount} {info.data.liveWorkerCount === 1 ? 'worker' : 'workers'} · {info.data.workflowCount}{' '}
          {info.data.workflowCount === 1 ? 'workflow' : 'workflows'}
        </span>
      ) : (
        <span className="header-counts header-alert" role="status">
          Database unreachable
        </span>
      )}
    </div>
  );
}

function ProjectSwitcher({ current, projects }: { current: string | undefined; projects: Array<{ slug: string; name: string }> }) {
  const router = useRouter();
  if (projects.length === 0) return null;
  return (
    <select
      aria-label="Project"
      data-testid="project-switcher"
      value={current && projects.some((p) => p.slug === current) ? current : ''}
      onChange={(e) => router.push(e.target.value === '+new' ? '/?new' : projectPath(e.target.value))}
      style={{
        background: '#1f2530',
        color: '#e9edf2',
        border: '1px solid #364052',
        borderRadius: 'var(--radius)',
        padding: '3px 6px',
        font: 'inherit',
        fontSize: 13,
        maxWidth: 220,
      }}
    >
      {current && projects.some((p) => p.slug === current) ? null : <option value="">Choose a project…</option>}
      {projects.map((p) => (
        <option key={p.slug} value={p.slug}>
          {p.name}
        </option>
      ))}
      <option value="+new">+ New project…</option>
    </select>
  );
}

/** The project's sections, in the order of the main navigation (runs: the project's own page). */
const NAV: ReadonlyArray<readonly ['runs' | ProjectSection, string]> = [
  ['runs', 'Runs'],
  ['events', 'Events'],
  ['workflows', 'Workflows'],
  ['workers', 'Workers'],
  ['schedules', 'Schedules'],
  ['metrics', 'Metrics'],
  ['usage', 'Usage'],
  ['what-if', 'What-if'],
  ['settings', 'Settings'],
] as const;

/**
 * Signed out (the login page): just the brand. Signed in: project switcher,
 * the project's Runs / Settings, transport and counts, and the user menu.
 */
export function Header({ user }: { user: { email: string } | null }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const params = useParams<{ project?: string }>();
  const project = typeof params?.project === 'string' ? params.project : undefined;
  const me = useQuery(trpc.system.me.queryOptions(undefined, { enabled: Boolean(user), staleTime: 30_000 }));
  const base = project ? projectPath(project) : null;
  // The first path segment after /p/<project> names the section (none: the runs list, as are run pages).
  const section = base && pathname.startsWith(base) ? pathname.slice(base.length).split('/')[1] || 'runs' : null;
  const current = section === 'runs' || section === undefined ? 'runs' : section;

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden>
            ◆
          </span>{' '}
          Whetstone
        </Link>
        {user ? (
          <>
            <ProjectSwitcher current={project} projects={me.data?.projects ?? []} />
            <nav className="site-nav" aria-label="Main">
              {project ? (
                <>
                  {NAV.map(([key, label]) => (
                    <Link
                      key={key}
                      href={projectPath(project, key === 'runs' ? undefined : key)}
                      className={current === key ? 'active' : undefined}
                      aria-current={current === key ? 'page' : undefined}
                      data-testid={`nav-${key}`}
                    >
                      {label}
                    </Link>
                  ))}
                </>
              ) : null}
            </nav>
            <HeaderStatus transport={me.data?.transport} project={project} />
            <UserMenu email={user.email} />
          </>
        ) : (
          <nav className="site-nav" aria-label="Main" />
        )}
      </div>
    </header>
  );
}
