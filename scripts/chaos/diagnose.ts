// Evidence for a lost or duplicated run: its rows, the state of its current jobs in the queue,
// and the log lines of every process that mention it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createQueueKit } from '@whetstone/sdk/transport';
import { taskJobId, taskQueueName } from '@whetstone/sdk/contract';
import type { TestStack } from '../../tests/helpers/stack';
import { describeSeqs } from './tally';

export async function diagnose(stack: TestStack, seqs: number[], execLog: string, logDir: string): Promise<string> {
  if (!seqs.length) return '';
  const out = [await describeSeqs(stack.prisma, seqs, execLog)];

  const tasks = await stack.prisma.taskRun.findMany({
    where: { workflowRun: { OR: seqs.map((seq) => ({ additionalMetadata: { path: ['seq'], equals: String(seq) } })) } },
    select: { id: true, taskName: true, status: true, attempts: true, workflowRunId: true },
  });
  const open = tasks.filter((t) => t.status === 'QUEUED' || t.status === 'RUNNING');
  if (open.length) {
    out.push('', 'jobs of the open task runs (current attempt) in the queue:');
    const prefix = stack.env.WHETSTONE_QUEUE_PREFIX!;
    const hex = stack.projectId.replace(/-/g, '');
    const kit = createQueueKit(
      stack.env.WHETSTONE_TRANSPORT === 'redis'
        ? { kind: 'redis', url: stack.env.REDIS_URL!, prefix: `${prefix}:p:${stack.projectId}` }
        : { kind: 'postgres', connectionString: stack.env.DATABASE_URL!, schema: `${prefix.toLowerCase().replace(/-/g, '_')}_q_${hex}` },
    );
    try {
      for (const t of open) {
        const queue = kit.queue(taskQueueName('chaos-chain', t.taskName));
        for (let attempt = 1; attempt <= Math.max(1, t.attempts); attempt++) {
          const id = taskJobId(t.id, attempt);
          const job = await queue.getJob(id).catch((err: Error) => err);
          if (job instanceof Error) out.push(`  ${id}: lookup failed: ${job.message}`);
          else if (!job) out.push(`  ${id}: no job`);
          else {
            const state = await job.getState().catch(() => '?');
            out.push(
              `  ${id}: ${state} attemptsStarted=${job.attemptsStarted ?? '?'} attemptsMade=${job.attemptsMade} processedOn=${stamp(job.processedOn)} finishedOn=${stamp(job.finishedOn)}${job.failedReason ? ` failedReason=${job.failedReason}` : ''}`,
            );
          }
        }
      }
    } finally {
      await kit.close();
    }
  }

  const ids = [...new Set([...tasks.map((t) => t.id), ...tasks.map((t) => t.workflowRunId)])];
  const hits: string[] = [];
  for (const file of readdirSync(logDir).filter((f) => f.endsWith('.log'))) {
    for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
      if (ids.some((id) => line.includes(id))) hits.push(`  ${file}: ${line}`);
    }
  }
  out.push('', `process log lines naming these runs or task runs (${hits.length}):`, ...(hits.length ? hits.slice(0, 40) : ['  (none)']));
  return out.join('\n');
}

function stamp(ms: number | undefined): string {
  return ms ? new Date(ms).toISOString().slice(11, 23) : '-';
}
