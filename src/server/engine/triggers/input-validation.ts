import { z } from 'zod';
import { badRequest } from '@/server/errors';

// The workflow's zod `inputValidator` arrives as JSON Schema; it is turned back into a zod schema
// so every trigger path (SDK, REST, events, schedules, dashboard) refuses bad input with zod's message.
const compiled = new Map<string, z.ZodType>();

export function validateRunInput(
  versionId: string,
  workflowName: string,
  inputSchema: Record<string, unknown> | undefined,
  input: unknown,
): unknown {
  if (!inputSchema) return input;
  let schema = compiled.get(versionId);
  if (!schema) {
    schema = z.fromJSONSchema(inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
    compiled.set(versionId, schema);
  }
  const result = schema.safeParse(input);
  if (!result.success) throw badRequest(`Invalid input for workflow '${workflowName}': ${z.prettifyError(result.error)}`);
  return result.data;
}
