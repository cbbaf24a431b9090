// What happened to every pushed seq, from the database (the system of record) and the workers'
// execution log.
import { existsSync, readFileSync } from 'node:fs';
import type { PrismaClient } from '../../src/server/db/client';

export interface Progress {
  byStatus: Record<string, number>;
  /** Distinct seqs with a terminal run. */
  terminalSeqs: number;
}

export async function progress(prisma: PrismaClient): Promise<Progress> {
  const rows = await prisma.$queryRaw<{ status: string; runs: number; seqs: number }[]>`
    select status::text as status, count(*)::int as runs, count(distinct "additionalMetadata"->>'seq')::int as seqs
    from "WorkflowRun" group by status`;
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.runs]));
  const [terminal] = await prisma.$queryRaw<{ n: number }[]>`
    select count(distinct "additionalMetadata"->>'seq')::int as n from "WorkflowRun" where status in ('SUCCEEDED', 'FAILED', 'CANCELLED')`;
  return { byStatus, terminalSeqs: terminal?.n ?? 0 };
}

export interface Tally {
  pushed: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Pushed seqs without a terminal run (still running, or no run at all). */
  lost: number;
  lostSeqs: number[];
  /** Of the lost: seqs the server never accepted (no run row). */
  neverAccepted: number[];
  /** duplicateRuns + duplicateResults. */
  duplicated: number;
  /** Seqs with more than one WorkflowRun row. */
  duplicateRuns: { seq: number; runIds: string[] }[];
  /** Task runs with more than one SUCCEEDED attempt: a result recorded twice. */
  duplicateResults: { seq: number; task: string; taskRunId: string; succeededAttempts: number }[];
  /** Seq/task pairs whose work ran to completion more than once (execution log). */
  reExecuted: number;
  reExecutedExamples: { seq: number; task: string; lines: string[] }[];
  /** Each execution beyond a pair's first: when it finished (epoch ms) and its attempt number. */
  extraExecutions: { at: number; attempt: number }[];
  executions: number;
  /** TaskRunAttempt rows with status LOST. */
  lostAttempts: number;
  attemptsByStatus: Record<string, number>;
  /** Task attempts beyond the first (engine retries and re-deliveries). */
  taskRetries: number;
  /** Runs whose seq fields disagree (metadata vs input vs outputs), runs of unknown seqs, successes no worker logged. */
  corrupted: { runId: string; problem: string }[];
  failedRuns: { seq: number; runId: string; error: string | null }[];
}

interface RunRow {
  id: string;
  status: string;
  meta_seq: string | null;
  input_seq: string | null;
  a_seq: string | null;
  b_seq: string | null;
  error: string | null;
}

export async function tally(prisma: PrismaClient, pushed: number, accepted: Map<number, string>, execLog: string): Promise<Tally> {
  const runs = await prisma.$queryRaw<RunRow[]>`
    select id::text, status::text, "additionalMetadata"->>'seq' as meta_seq, input->>'seq' as input_seq,
      output->'a'->>'seq' as a_seq, output->'b'->>'seq' as b_seq, error
    from "WorkflowRun" order by "createdAt"`;
  const exec = readExecLog(execLog);

  const bySeq = new Map<number, RunRow[]>();
  const corrupted: Tally['corrupted'] = [];
  for (const r of runs) {
    const seq = Number(r.meta_seq);
    if (!Number.isInteger(seq) || seq < 1 || seq > pushed) {
      corrupted.push({ runId: r.id, problem: `run of unknown seq ${r.meta_seq}` });
      continue;
    }
    if (r.input_seq !== r.meta_seq) corrupted.push({ runId: r.id, problem: `metadata seq ${r.meta_seq} but input seq ${r.input_seq}` });
    if (r.status === 'SUCCEEDED') {
      if (r.a_seq !== r.meta_seq || r.b_seq !== r.meta_seq)
        corrupted.push({ runId: r.id, problem: `seq ${seq} SUCCEEDED with outputs a.seq=${r.a_seq} b.seq=${r.b_seq}` });
      for (const task of ['a', 'b']) {
        if (!exec.get(`${seq} ${task}`)?.length)
          corrupted.push({ runId: r.id, problem: `seq ${seq} SUCCEEDED but no worker logged an execution of ${task}` });
      }
    }
    const list = bySeq.get(seq) ?? [];
    list.push(r);
    bySeq.set(seq, list);
  }
  for (const [seq, runId] of accepted) {
    if (!runs.some((r) => r.id === runId))
      corrupted.push({ runId, problem: `the server answered run ${runId} for seq ${seq}, but there is no such run` });
  }

  let completed = 0;
  let failed = 0;
  let cancelled = 0;
  const lostSeqs: number[] = [];
  const neverAccepted: number[] = [];
  const failedRuns: Tally['failedRuns'] = [];
  for (let seq = 1; seq <= pushed; seq++) {
    const list = bySeq.get(seq) ?? [];
    const statuses = list.map((r) => r.status);
    if (statuses.includes('SUCCEEDED')) completed++;
    else if (statuses.includes('FAILED')) {
      failed++;
      const r = list.find((x) => x.status === 'FAILED')!;
      failedRuns.push({ seq, runId: r.id, error: r.error });
    } else if (statuses.includes('CANCELLED')) cancelled++;
    else {
      lostSeqs.push(seq);
      if (!list.length) neverAccepted.push(seq);
    }
  }
  const duplicateRuns = [...bySeq].filter(([, list]) => list.length > 1).map(([seq, list]) => ({ seq, runIds: list.map((r) => r.id) }));

  const duplicateResults = (
    await prisma.$queryRaw<{ seq: string; task: string; taskRunId: string; n: number }[]>`
      select r."additionalMetadata"->>'seq' as seq, t."taskName" as task, t.id::text as "taskRunId", count(*)::int as n
      from "TaskRunAttempt" a join "TaskRun" t on t.id = a."taskRunId" join "WorkflowRun" r on r.id = t."workflowRunId"
      where a.status = 'SUCCEEDED'
      group by 1, 2, 3 having count(*) > 1`
  ).map((d) => ({ seq: Number(d.seq), task: d.task, taskRunId: d.taskRunId, succeededAttempts: d.n }));

  const attemptRows = await prisma.$queryRaw<{ status: string; n: number }[]>`
    select status::text as status, count(*)::int as n from "TaskRunAttempt" group by 1`;
  const attemptsByStatus = Object.fromEntries(attemptRows.map((r) => [r.status, r.n]));
  const [retryRow] = await prisma.$queryRaw<{ n: number }[]>`
    select coalesce(sum(greatest(attempts - 1, 0)), 0)::int as n from "TaskRun"`;

  const reExecutedPairs = [...exec].filter(([, lines]) => lines.length > 1);
  return {
    pushed,
    completed,
    failed,
    cancelled,
    lost: lostSeqs.length,
    lostSeqs,
    neverAccepted,
    duplicated: duplicateRuns.length + duplicateResults.length,
    duplicateRuns,
    duplicateResults,
    reExecuted: reExecutedPairs.length,
    reExecutedExamples: reExecutedPairs.slice(0, 10).map(([key, lines]) => {
      const [seq, task] = key.split(' ');
      return { seq: Number(seq), task: task!, lines };
    }),
    extraExecutions: reExecutedPairs.flatMap(([, lines]) =>
      lines
        .map((l) => ({ at: Number(l.split(' ')[4]), attempt: Number(l.split(' ')[2]) }))
        .sort((x, y) => x.at - y.at)
        .slice(1),
    ),
    executions: [...exec.values()].reduce((n, l) => n + l.length, 0),
    lostAttempts: attemptsByStatus.LOST ?? 0,
    attemptsByStatus,
    taskRetries: retryRow?.n ?? 0,
    corrupted,
    failedRuns,
  };
}

/** `<seq> <task>` → the execution log's lines for it. */
export function readExecLog(path: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (!existsSync(path)) return map;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [seq, task] = line.split(' ');
    if (!seq || !task) continue;
    const key = `${seq} ${task}`;
    const list = map.get(key) ?? [];
    list.push(line);
    map.set(key, list);
  }
  return map;
}

/** Everything the database and the execution log say about some seqs: for a lost or duplicated run. */
export async function describeSeqs(prisma: PrismaClient, seqs: number[], execLog: string): Promise<string> {
  const exec = readExecLog(execLog);
  const out: string[] = [];
  for (const seq of seqs) {
    const runs = await prisma.workflowRun.findMany({
      where: { additionalMetadata: { path: ['seq'], equals: String(seq) } },
      include: { taskRuns: { include: { attemptsList: { orderBy: { attempt: 'asc' } } }, orderBy: { createdAt: 'asc' } } },
    });
    out.push(`seq ${seq}: ${runs.length ? '' : 'no WorkflowRun row'}`);
    for (const r of runs) {
      out.push(
        `  run ${r.id} ${r.status} created ${iso(r.createdAt)} started ${iso(r.startedAt)} finished ${iso(r.finishedAt)}${r.error ? ` error: ${r.error.split('\n')[0]}` : ''}`,
      );
      for (const t of r.taskRuns) {
        out.push(
          `    task ${t.taskName} ${t.id} ${t.status} attempts=${t.attempts} queued ${iso(t.queuedAt)} started ${iso(t.startedAt)} finished ${iso(t.finishedAt)} worker ${t.workerId ?? '-'}${t.error ? ` error: ${t.error.split('\n')[0]}` : ''}`,
        );
        for (const a of t.attemptsList) {
          out.push(
            `      attempt ${a.attempt} ${a.status} queued ${iso(a.queuedAt)} started ${iso(a.startedAt)} finished ${iso(a.finishedAt)} worker ${a.workerId ?? '-'}${a.error ? ` error: ${a.error.split('\n')[0]}` : ''}`,
          );
        }
        if (!t.attemptsList.length) out.push('      (no TaskRunAttempt rows)');
      }
    }
    for (const task of ['a', 'b']) out.push(`  exec log ${task}: ${(exec.get(`${seq} ${task}`) ?? []).join(' | ') || '(none)'}`);
  }
  return out.join('\n');
}

function iso(d: Date | null): string {
  return d ? d.toISOString().slice(11, 23) : '-';
}
