// The shape of a declarative workflow file (Hatchet's v0 YAML format, the parts Whetstone runs).
// Unknown keys are refused, so a typo or an unsupported Hatchet option is never silently ignored.
import { z } from 'zod';
import { NAME_PATTERN, cronSchema, durationSchema, eventKeySchema } from '../contract.js';
import { ACTION_FORMAT, ACTION_PATTERN } from './actions.js';
import { TemplateSyntaxError, parseTemplate, templateStrings } from './template.js';

const NAME_FORMAT = 'must start with a letter or digit and use only letters, digits, "-" and "_" (max 100)';

/** A mapping that refuses unknown keys, naming the keys it allows. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `allowed keys: ${allowed}` : undefined) });
}

/** Any YAML value; every string in it that holds `{{` must be a valid template. */
const withValueSchema = z.unknown().superRefine((value, ctx) => {
  for (const { text, path } of templateStrings(value)) {
    try {
      parseTemplate(text);
    } catch (err) {
      if (!(err instanceof TemplateSyntaxError)) throw err;
      ctx.addIssue({ code: 'custom', message: `template error: ${err.message}`, path });
    }
  }
});

export const stepSchema = strict({
  id: z.string().regex(NAME_PATTERN, NAME_FORMAT),
  action: z.string().regex(ACTION_PATTERN, ACTION_FORMAT),
  /** Longest an attempt may run (the task's executionTimeout), e.g. "60s". */
  timeout: durationSchema.optional(),
  retries: z.number().int().min(0).max(100).optional(),
  with: z.record(z.string(), withValueSchema).optional(),
});

export const jobSchema = strict({
  description: z.string().max(1000).optional(),
  steps: z.array(stepSchema).min(1, 'a job needs at least one step'),
});

const triggersSchema = strict({
  events: z.array(eventKeySchema).max(50).optional(),
  crons: z.array(cronSchema).max(50).optional(),
});

export const workflowFileSchema = strict({
  name: z.string().regex(NAME_PATTERN, NAME_FORMAT),
  version: z.string().min(1).max(100).optional(),
  description: z.string().max(1500).optional(),
  on: triggersSchema.optional(),
  /** Hatchet's name for `on`. */
  triggers: triggersSchema.optional(),
  jobs: z.record(z.string(), jobSchema).refine((jobs) => Object.keys(jobs).length > 0, 'a workflow needs at least one job'),
});

export type WorkflowFile = z.infer<typeof workflowFileSchema>;
