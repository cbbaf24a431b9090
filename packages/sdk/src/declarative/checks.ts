// Checks that span several fields (the zod schema checks each field on its own). They read the raw
// parsed YAML defensively, so they report alongside the schema's problems in one pass.
import { NAME_PATTERN } from '../contract.js';
import type { YamlPath } from './positions.js';
import { referencedSteps, templateStrings } from './template.js';

export interface PathProblem {
  path: YamlPath;
  message: string;
}

/** Task names allow letters, digits, "-" and "_": a step runs as the task `<job>__<stepId>`. */
export const TASK_NAME_SEPARATOR = '__';

export function stepTaskName(job: string, stepId: string): string {
  return `${job}${TASK_NAME_SEPARATOR}${stepId}`;
}

export function crossFieldProblems(file: unknown): PathProblem[] {
  if (!isRecord(file)) return [];
  const problems: PathProblem[] = [];
  if (file.on !== undefined && file.triggers !== undefined) {
    problems.push({ path: ['triggers'], message: 'use either "on" or "triggers" (the same thing), not both' });
  }
  if (!isRecord(file.jobs)) return problems;
  const taskNames = new Map<string, string>();
  for (const [job, body] of Object.entries(file.jobs)) {
    if (!NAME_PATTERN.test(job)) {
      problems.push({
        path: ['jobs', job],
        message: `invalid job name ${JSON.stringify(job)}: use letters, digits, "-" and "_", starting with a letter or digit`,
      });
      continue;
    }
    if (!isRecord(body) || !Array.isArray(body.steps)) continue;
    const earlier: string[] = [];
    for (const [index, step] of body.steps.entries()) {
      if (!isRecord(step)) continue;
      const at: YamlPath = ['jobs', job, 'steps', index];
      problems.push(...referenceProblems(step.with, [...at, 'with'], job, earlier));
      if (typeof step.id !== 'string' || !NAME_PATTERN.test(step.id)) continue;
      const id = step.id;
      if (earlier.includes(id)) {
        problems.push({ path: [...at, 'id'], message: `duplicate step id "${id}" in job "${job}": step ids must be unique within a job` });
        continue;
      }
      earlier.push(id);
      const taskName = stepTaskName(job, id);
      const clash = taskNames.get(taskName);
      if (taskName.length > 100) {
        problems.push({
          path: [...at, 'id'],
          message: `job name and step id are too long together: the step runs as task "${taskName}" (max 100 characters)`,
        });
      } else if (clash) {
        problems.push({
          path: [...at, 'id'],
          message: `step "${id}" of job "${job}" runs as task "${taskName}", the same name as ${clash}: rename one`,
        });
      } else {
        taskNames.set(taskName, `step "${id}" of job "${job}"`);
      }
    }
  }
  return problems;
}

/** `{{ .steps.<id> }}` may only read a step that runs before this one in the same job. */
function referenceProblems(withValue: unknown, at: YamlPath, job: string, earlier: readonly string[]): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const { text, path } of templateStrings(withValue)) {
    for (const stepId of referencedSteps(text)) {
      if (earlier.includes(stepId)) continue;
      const known = earlier.length ? `earlier steps: ${earlier.join(', ')}` : 'this is the first step';
      problems.push({
        path: [...at, ...path],
        message: `template reads step "${stepId}", which is not an earlier step of job "${job}" (${known})`,
      });
    }
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
