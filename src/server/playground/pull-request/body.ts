// The pull request's title, body and commit message: what changed (each variable before → after),
// what the source run and the variant produced, and links back to both runs; opened from a what-if
// report, the report's totals and rows too.
import { runPath, whatIfPath } from '@/server/shared/urls';
import { fenced, inlineCode, truncate } from './markdown';
import type { PlannedVariable } from './plan';
import { shortId, whatIfSection, type WhatIfBodyReport } from './what-if-section';

export { fenced, inlineCode, truncate };

/** Characters of an output shown in the body (the run page has all of it). */
export const MAX_OUTPUT_CHARS = 3_000;
/** Characters of a variable's old or new default shown in the body (the diff has all of it). */
export const MAX_VALUE_CHARS = 2_000;
/** GitHub refuses bodies over 65,536 characters. */
const MAX_BODY_CHARS = 60_000;
/** A value shorter than this, on one line, is shown inline. */
const INLINE_CHARS = 80;

export interface PullRequestText {
  workflow: string;
  task: string;
  /** The project's slug, for links to the dashboard. */
  project: string;
  /** The dashboard's URL (WHETSTONE_PUBLIC_URL); without it the body names the runs without links. */
  publicUrl?: string;
  sourceRunId: string;
  variantRunId: string;
  /** 0-based position of the variant in its batch. */
  variant: number;
  openedBy?: string;
  variables: ReadonlyArray<Pick<PlannedVariable, 'name' | 'path' | 'line' | 'before' | 'after'>>;
  sourceOutput: unknown;
  variantOutput: unknown;
  /** Opened from a what-if report (the variant is one of its rows): its summary goes in the body. */
  whatIf?: WhatIfBodyReport;
}

export function pullRequestTitle(text: Pick<PullRequestText, 'workflow' | 'task' | 'variables'>): string {
  const names = text.variables.map((v) => v.name);
  const title = `Playground: update ${names.join(', ')} in ${text.workflow} › ${text.task}`;
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}

export function commitMessage(text: PullRequestText): string {
  const lines = text.variables.map((v) => `- ${v.name} (${v.path}:${v.line})`);
  const from = text.whatIf
    ? `what-if report ${text.whatIf.id} (row run ${text.variantRunId} of run ${text.sourceRunId})`
    : `playground variant ${text.variant + 1} (run ${text.variantRunId}) of run ${text.sourceRunId}`;
  return `${pullRequestTitle(text)}\n\nNew defaults from ${from}:\n${lines.join('\n')}\n`;
}

export function pullRequestBody(text: PullRequestText): string {
  const sourceRun = runReference('source run', text, text.sourceRunId);
  const variantRun = runReference(`variant ${text.variant + 1}`, text, text.variantRunId);
  const by = text.openedBy ? ` by ${text.openedBy}` : '';
  const intro = text.whatIf
    ? `Opened from a Whetstone what-if report${by}: task ${inlineCode(text.task)} of workflow ${inlineCode(text.workflow)} was re-run with new values over ${text.whatIf.totals.rows} earlier ${text.whatIf.totals.rows === 1 ? 'run' : 'runs'}, and this pull request makes them the defaults in code.`
    : `Opened from the Whetstone playground${by}: ${variantRun} re-ran task ${inlineCode(text.task)} of workflow ${inlineCode(text.workflow)} from ${sourceRun} with new values, and this pull request makes them the defaults in code.`;
  const parts = [
    intro,
    '### Changes',
    ...text.variables.map(variableSection),
    `### Output of ${inlineCode(text.task)}${text.whatIf ? ' (one row of the report)' : ''}`,
    `Source run (${runReference(shortId(text.sourceRunId), text, text.sourceRunId)}):`,
    fenced(truncate(json(text.sourceOutput), MAX_OUTPUT_CHARS), 'json'),
    `${text.whatIf ? 'With the new values' : `Variant ${text.variant + 1}`} (${runReference(shortId(text.variantRunId), text, text.variantRunId)}):`,
    fenced(truncate(json(text.variantOutput), MAX_OUTPUT_CHARS), 'json'),
    ...(text.whatIf ? [whatIfSection(text.whatIf, { run: (id) => runUrl(text, id), report: (id) => reportUrl(text, id) })] : []),
    '---',
    `- Source run: ${runLink(text, text.sourceRunId)}`,
    `- ${text.whatIf ? 'New run' : 'Variant run'}: ${runLink(text, text.variantRunId)}`,
    ...(text.whatIf ? [`- What-if report: ${reportUrl(text, text.whatIf.id) ?? inlineCode(text.whatIf.id)}`] : []),
  ];
  const body = parts.join('\n\n') + '\n';
  return body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS)}\n\n… (cut: the body is longer than GitHub allows)\n` : body;
}

function variableSection(v: Pick<PlannedVariable, 'name' | 'path' | 'line' | 'before' | 'after'>): string {
  const where = inlineCode(`${v.path}:${v.line}`);
  const short = (s: string) => s.length <= INLINE_CHARS && !/[\r\n\u2028\u2029`]/.test(s);
  if (short(v.before) && short(v.after)) return `- ${inlineCode(v.name)} (${where}): ${inlineCode(v.before)} → ${inlineCode(v.after)}`;
  return [
    `- ${inlineCode(v.name)} (${where}):`,
    'Before:',
    fenced(truncate(v.before, MAX_VALUE_CHARS), 'ts'),
    'After:',
    fenced(truncate(v.after, MAX_VALUE_CHARS), 'ts'),
  ].join('\n\n');
}

/** A dashboard path as an absolute URL, or null without WHETSTONE_PUBLIC_URL. */
function dashboardUrl(text: PullRequestText, path: string): string | null {
  return text.publicUrl ? `${text.publicUrl.replace(/\/+$/, '')}${path}` : null;
}

function runUrl(text: PullRequestText, runId: string): string | null {
  return dashboardUrl(text, runPath(text.project, runId));
}

function reportUrl(text: PullRequestText, reportId: string): string | null {
  return dashboardUrl(text, whatIfPath(text.project, reportId));
}

function runReference(label: string, text: PullRequestText, runId: string): string {
  const url = runUrl(text, runId);
  return url ? `[${label}](${url})` : label;
}

function runLink(text: PullRequestText, runId: string): string {
  return runUrl(text, runId) ?? `${inlineCode(runId)} (set WHETSTONE_PUBLIC_URL on the server for links)`;
}

function json(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value, null, 2);
}
