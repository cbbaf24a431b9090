'use client';

/** LLM usage of a run: per task and in total (filled in by the LLM usage feature). */
export function RunUsage(_props: { project: string; runId: string }) {
  return null;
}
