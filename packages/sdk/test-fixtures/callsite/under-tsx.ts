// Run with tsx by callsite.test.ts: prints the call site ctx.playground() records.
import { Context, recordedVariables } from '../../src/context/context.js';
import { taskJobSchema } from '../../src/contract.js';

const job = taskJobSchema.parse({ taskRunId: 't', runId: 'r', workflow: 'wf', task: 'task', input: {}, parentOutputs: {} });
const ctx = new Context(job, 1, new AbortController().signal, () => undefined);
const greeting: string = ctx.playground('greeting', 'hello');
process.stdout.write(JSON.stringify({ greeting, callsite: recordedVariables(ctx)![0]!.callsite }));
