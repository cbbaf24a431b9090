// Counts task executions from the execution log the bench worker processes append to
// (`<taskRunId> <attempt> <pid> [<epoch ms>]` per line, see worker-process.ts) against the task runs the
// database holds: the scale-out check's proof that no run was executed twice.

export interface ExecTally {
  /** Lines in the log. */
  executions: number;
  /** Task runs of the database executed exactly once. */
  once: number;
  /** Task runs executed more than once, with their counts. */
  duplicated: { taskRunId: string; times: number }[];
  /** Task runs of the database never executed. */
  missing: string[];
  /** Executions of task runs the database does not list (another phase's, or a mix-up). */
  unknown: number;
  /** Executions of the listed task runs per worker pid: how the work was shared. */
  byPid: Record<string, number>;
}

export function tallyExecutions(log: string, taskRunIds: readonly string[]): ExecTally {
  const expected = new Set(taskRunIds);
  const counts = new Map<string, number>();
  const byPid: Record<string, number> = {};
  let executions = 0;
  for (const line of log.split('\n')) {
    if (!line.trim()) continue;
    const [taskRunId, attempt, pid] = line.trim().split(' ');
    if (!taskRunId || !attempt || !pid) throw new Error(`malformed execution log line: ${JSON.stringify(line)}`);
    executions++;
    counts.set(taskRunId, (counts.get(taskRunId) ?? 0) + 1);
    if (expected.has(taskRunId)) byPid[pid] = (byPid[pid] ?? 0) + 1;
  }
  let once = 0;
  const duplicated: ExecTally['duplicated'] = [];
  const missing: string[] = [];
  for (const id of expected) {
    const times = counts.get(id) ?? 0;
    if (times === 0) missing.push(id);
    else if (times === 1) once++;
    else duplicated.push({ taskRunId: id, times });
  }
  let unknown = 0;
  for (const [id, times] of counts) if (!expected.has(id)) unknown += times;
  return { executions, once, duplicated, missing, unknown, byPid };
}
