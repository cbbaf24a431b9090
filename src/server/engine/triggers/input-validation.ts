import { z } from 'zod';
import { badRequest } from '@/server/errors';

// The workflow's zod `inputValidator` arrives as JSON Schema; it is turned back into a zod schema
// so every trigger path (SDK, REST, events, schedules, dashboard) refuses bad input with zod's message.
const compiled = new Map<string, z.ZodType>();
const MAX_COMPILED = 1_000;

/** Why the server cannot use this JSON Schema (z.fromJSONSchema refuses it), or null when it can. */
export function inputSchemaProblem(inputSchema: Record<string, unknown>): string | null {
  try {
    z.fromJSONSchema(inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
    return null;
  } catch (err) {
    return (err as Error).message || String(err);
  }
}

/** The message registration and triggers give for an unusable inputSchema. */
export function inputSchemaMessage(workflowName: string, problem: string): string {
  return `Workflow '${workflowName}': inputSchema is not a JSON Schema the server can use (${problem}); give the workflow an inputValidator that converts to JSON Schema (z.toJSONSchema) or none`;
}

export function validateRunInput(
  versionId: string,
  workflowName: string,
  inputSchema: Record<string, unknown> | undefined,
  input: unknown,
): unknown {
  if (!inputSchema) return input;
  let schema = compiled.get(versionId);
  if (!schema) {
    // Registration refuses such schemas; a version stored before it did is refused here, as a bad request, not a crash.
    try {
      schema = z.fromJSONSchema(inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch (err) {
      throw badRequest(inputSchemaMessage(workflowName, (err as Error).message || String(err)));
    }
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(versionId, schema);
  }
  let result;
  try {
    result = schema.safeParse(input);
  } catch (err) {
    throw badRequest(inputSchemaMessage(workflowName, (err as Error).message || String(err)));
  }
  if (!result.success) throw badRequest(`Invalid input for workflow '${workflowName}': ${z.prettifyError(result.error)}`);
  return result.data;
}
