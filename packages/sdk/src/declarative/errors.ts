/** One problem found in a declarative workflow file; line and column are 1-based. */
export interface DeclarativeProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A declarative workflow file (or several) was refused; `problems` lists every problem found. */
export class DeclarativeWorkflowError extends Error {
  constructor(readonly problems: readonly DeclarativeProblem[]) {
    super(formatProblems(problems));
    this.name = 'DeclarativeWorkflowError';
  }
}

export function formatProblem(problem: DeclarativeProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

function formatProblems(problems: readonly DeclarativeProblem[]): string {
  if (problems.length === 1) return `Invalid declarative workflow: ${formatProblem(problems[0]!)}`;
  const files = new Set(problems.map((p) => p.file)).size;
  const where = files === 1 ? problems[0]!.file : `${files} files`;
  return `Invalid declarative workflow (${problems.length} problems in ${where}):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`;
}
