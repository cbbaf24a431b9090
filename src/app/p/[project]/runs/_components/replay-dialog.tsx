'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { JsonEditor } from '@/app/_ui/json-editor/json-editor';
import { useTRPC } from '@/app/_trpc/providers';
import styles from './run-replay.module.css';
import { checkRunInput } from '../../workflows/_components/workflows-input';
import { runPath } from '@/server/shared/urls';

interface ReplaySource {
  id: string;
  workflowName: string;
  input: unknown;
}

/** "Replay…" on the run page (editors and owners): opens the dialog to replay with an edited input. */
export function ReplayButton({ project, run }: { project: string; run: ReplaySource }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" data-testid="replay-run" onClick={() => setOpen(true)}>
        Replay…
      </button>
      {open ? <ReplayDialog project={project} run={run} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/**
 * The run's input in Monaco (with the latest version's input schema as hints); Replay starts a new
 * run of the workflow's latest version with the edited input and opens it. The server checks the
 * input against that schema: its refusal is shown here, the run is not created.
 */
export function ReplayDialog({ project, run, onClose }: { project: string; run: ReplaySource; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => JSON.stringify(run.input ?? {}, null, 2));
  const input = useMemo(() => checkRunInput(text, null), [text]);
  const workflow = useQuery(trpc.workflows.get.queryOptions({ project, name: run.workflowName }, { staleTime: 60_000 }));
  const schema = workflow.data?.trigger?.inputSchema ?? undefined;
  const replay = useMutation(
    trpc.runs.replay.mutationOptions({
      onSuccess: async ({ runId }) => {
        // The source now lists the replay ("Replayed as").
        await queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ project, id: run.id }) });
        router.push(runPath(project, runId));
      },
    }),
  );
  const busy = replay.isPending || replay.isSuccess;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Escape inside Monaco closes its own widgets (suggestions, find), not the dialog.
      const inEditor = e.target instanceof Element && e.target.closest('.monaco-editor');
      if (e.key === 'Escape' && !busy && !inEditor) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!input.ok || busy) return;
    replay.mutate({ project, id: run.id, input: input.value });
  };

  return (
    <div className={styles.backdrop}>
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby="replay-title"
        className={styles.dialog}
        data-testid="replay-dialog"
        onSubmit={submit}
      >
        <h2 id="replay-title">Replay with an edited input</h2>
        <p className="muted small">
          Starts a new run of <span className="mono">{run.workflowName}</span> (its latest version) with this input, the same metadata and
          priority, linked to this run as a replay. This run is not changed.
        </p>
        <div className={`${styles.editorBox} ${input.ok ? '' : styles.invalid}`}>
          <JsonEditor value={text} onChange={setText} schema={schema} height={260} testId="replay-input" ariaLabel="Replay input (JSON)" />
        </div>
        {input.ok ? null : (
          <div className="error-box" role="alert" data-testid="replay-input-error">
            <pre className={styles.inputError}>{input.error}</pre>
          </div>
        )}
        {replay.isError ? (
          <div className="error-box" role="alert" data-testid="replay-error">
            <pre className={styles.inputError}>Could not replay: {replay.error.message}</pre>
          </div>
        ) : null}
        <div className={styles.actions}>
          <button type="button" className="button" data-testid="replay-cancel" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className={styles.primary} data-testid="replay-submit" disabled={!input.ok || busy}>
            {busy ? 'Starting…' : 'Replay'}
          </button>
        </div>
      </form>
    </div>
  );
}
