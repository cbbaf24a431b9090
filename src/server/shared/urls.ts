// The dashboard's paths, built once for the server (links in API answers and pull-request bodies)
// and the dashboard (links, redirects, sign-in `next` paths). A project slug, a workflow or task
// name and a batch id are each encoded as one path segment or query value; run and report ids are
// uuids and go in as they are.

/** The pages of a project besides its runs list (which is the project's own page). */
export const PROJECT_SECTIONS = ['events', 'workflows', 'workers', 'schedules', 'metrics', 'usage', 'what-if', 'settings'] as const;
export type ProjectSection = (typeof PROJECT_SECTIONS)[number];

/** `/p/<slug>`: the project's runs list; `/p/<slug>/<section>` with a section. */
export function projectPath(slug: string, section?: ProjectSection): string {
  const base = `/p/${encodeURIComponent(slug)}`;
  return section ? `${base}/${section}` : base;
}

/** A run's page; with a task, `#task-<name>` opens that task on it. */
export function runPath(slug: string, runId: string, opts: { task?: string } = {}): string {
  const path = `${projectPath(slug)}/runs/${runId}`;
  return opts.task ? `${path}#${taskAnchor(opts.task)}` : path;
}

const TASK_ANCHOR_PREFIX = 'task-';

/** The id of a task's panel on its run's page: `task-<name>`, the fragment of a link to that task. */
export function taskAnchor(taskName: string): string {
  return `${TASK_ANCHOR_PREFIX}${encodeURIComponent(taskName)}`;
}

/** The task a run page's fragment (without '#') names, or null when it names none. */
export function taskFromAnchor(fragment: string): string | null {
  if (!fragment.startsWith(TASK_ANCHOR_PREFIX)) return null;
  try {
    return decodeURIComponent(fragment.slice(TASK_ANCHOR_PREFIX.length));
  } catch {
    return null;
  }
}

/** The playground page of a task of a run (`?batch=` opens one batch of variants). */
export function playgroundPath(slug: string, runId: string, taskName: string, batchId?: string): string {
  const path = `${runPath(slug, runId)}/playground/${encodeURIComponent(taskName)}`;
  return batchId ? `${path}?batch=${encodeURIComponent(batchId)}` : path;
}

/** The project's what-if reports, or one report. */
export function whatIfPath(slug: string, reportId?: string): string {
  const list = projectPath(slug, 'what-if');
  return reportId ? `${list}/${reportId}` : list;
}

/** A workflow's page (its latest version). */
export function workflowPath(slug: string, name: string): string {
  return `${projectPath(slug, 'workflows')}/${encodeURIComponent(name)}`;
}

/** `path?key=value&…`, each value encoded; undefined values are left out (and `?` when none is left). */
export function withQuery(path: string, query: Readonly<Record<string, string | undefined>>): string {
  const pairs = Object.entries(query).flatMap(([key, value]) =>
    value === undefined ? [] : [`${encodeURIComponent(key)}=${encodeURIComponent(value)}`],
  );
  return pairs.length ? `${path}?${pairs.join('&')}` : path;
}
