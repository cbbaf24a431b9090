import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { crossFieldProblems, stepTaskName, type PathProblem } from './checks.js';
import { DeclarativeWorkflowError, type DeclarativeProblem } from './errors.js';
import { formatPath, positionOf } from './positions.js';
import { workflowFileSchema, type WorkflowFile } from './schema.js';

export interface DeclarativeStep {
  id: string;
  /** The task the step runs as: `<job>__<stepId>`. */
  taskName: string;
  action: string;
  timeout?: string;
  retries?: number;
  with: Record<string, unknown>;
}

export interface DeclarativeJob {
  name: string;
  description?: string;
  steps: DeclarativeStep[];
}

/** A checked declarative workflow file, ready to compile into a Workflow. */
export interface DeclarativeWorkflowSpec {
  file: string;
  name: string;
  version?: string;
  description?: string;
  events: string[];
  crons: string[];
  jobs: DeclarativeJob[];
}

/**
 * Parses and checks one YAML workflow file. `file` names it in errors. Throws a
 * DeclarativeWorkflowError listing every problem as `file:line:column: reason`.
 */
export function parseDeclarativeWorkflow(text: string, file: string): DeclarativeWorkflowSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    throw new DeclarativeWorkflowError(
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { file, line, column: col, message: `not valid YAML: ${error.message.split('\n')[0]}` };
      }),
    );
  }
  const raw: unknown = doc.toJS();
  const parsed = workflowFileSchema.safeParse(raw, { reportInput: true });
  const found: PathProblem[] = [...(parsed.success ? [] : parsed.error.issues.flatMap(describeIssue)), ...crossFieldProblems(raw)];
  if (found.length || !parsed.success) throw new DeclarativeWorkflowError(locate(found, doc, lineCounter, file));
  return toSpec(parsed.data, file);
}

function toSpec(data: WorkflowFile, file: string): DeclarativeWorkflowSpec {
  const triggers = data.on ?? data.triggers ?? {};
  return {
    file,
    name: data.name,
    version: data.version,
    description: data.description,
    events: triggers.events ?? [],
    crons: triggers.crons ?? [],
    jobs: Object.entries(data.jobs).map(([name, job]) => ({
      name,
      description: job.description,
      steps: job.steps.map((step) => ({
        id: step.id,
        taskName: stepTaskName(name, step.id),
        action: step.action,
        timeout: step.timeout,
        retries: step.retries,
        with: step.with ?? {},
      })),
    })),
  };
}

function locate(problems: PathProblem[], doc: Document, lineCounter: LineCounter, file: string): DeclarativeProblem[] {
  return problems
    .map(({ path, message }) => ({
      file,
      ...positionOf(doc, lineCounter, path),
      message: path.length ? `${formatPath(path)}: ${message}` : message,
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** zod's issue in words a YAML author understands, one per offending key. */
function describeIssue(issue: z.core.$ZodIssue): PathProblem[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key (${issue.message})` }));
    case 'invalid_type': {
      const expected = expectedWords(issue.expected);
      if (issue.input === undefined) return [{ path: path.slice(0, -1), message: `missing required key "${String(path.at(-1))}"` }];
      if (!path.length) return [{ path, message: `the file must be ${expected} with name and jobs, got ${describeValue(issue.input)}` }];
      return [{ path, message: `must be ${expected}, got ${describeValue(issue.input)}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

function expectedWords(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a mapping';
  if (expected === 'array') return 'a list';
  if (expected === 'int') return 'an integer';
  return `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
