'use client';

import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { SourceColumn, VariantColumn } from './playground-columns';
import { PlaygroundContext } from './playground-context';
import { useVariantDrafts } from './playground-drafts';
import { PlaygroundHeader } from './playground-header';
import { MODE_LABELS, PlaygroundHistory } from './playground-history';
import type { PlaygroundMode, PlaygroundTaskData } from './playground-types';
import { checkInputText, prettyJson, sourceTexts, variantOverrides } from './playground-values';
import styles from './playground.module.css';
import { useTRPC } from '@/app/_trpc/providers';
import { useNow } from '@/app/_ui/time';
import { playgroundPath, projectPath, runPath } from '@/server/shared/urls';
import { isTerminalRunStatus } from '@/server/shared/statuses';
import { MAX_PLAYGROUND_VARIANTS } from '@/server/shared/limits';

interface Props {
  project: string;
  runId: string;
  task: string;
  /** The user's role may run the playground (editor or owner). */
  canRun: boolean;
  /** A batch to reopen (`?batch=`): its values go into the editors, its results beside them. */
  initialBatchId: string | null;
}

/** The playground of one task of a run: edit its variables per variant, re-run on the real workers, compare with the source. */
export function PlaygroundView(props: Props) {
  const trpc = useTRPC();
  // Refreshed now and then: live workers come and go, and the source run may still be running.
  const query = useQuery(
    trpc.playground.task.queryOptions({ project: props.project, runId: props.runId, task: props.task }, { refetchInterval: 5_000 }),
  );
  if (!query.data) {
    return (
      <section>
        <nav className="breadcrumb">
          <Link href={projectPath(props.project)}>Runs</Link> /{' '}
          <Link href={runPath(props.project, props.runId)} className="mono">
            {props.runId}
          </Link>{' '}
          / <span className="mono">{props.task}</span> / Playground
        </nav>
        {query.isError ? (
          <div className="error-box" role="alert">
            Could not load the playground: {query.error.message}
          </div>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    );
  }
  return <PlaygroundEditor {...props} data={query.data} />;
}

/** Shows `?batch=<id>` in the address bar (Next's router follows native history calls) without a server round trip. */
function showBatchInUrl(batchId: string) {
  const url = new URL(window.location.href);
  url.searchParams.set('batch', batchId);
  window.history.replaceState(window.history.state, '', url);
}

function PlaygroundEditor({ project, canRun, initialBatchId, data }: Props & { data: PlaygroundTaskData }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow();
  const { variables } = data;
  const source = useMemo(() => sourceTexts(variables), [variables]);
  const sourceInputText = useMemo(() => prettyJson(data.run.input), [data.run.input]);
  const drafts = useVariantDrafts(source);
  const [mode, setMode] = useState<PlaygroundMode>('STEP');
  const [inputText, setInputText] = useState(sourceInputText);
  const [batchId, setBatchId] = useState<string | null>(initialBatchId);
  /** A batch whose values go into the editors once it has loaded (reopened, not just run from here). */
  const [toLoad, setToLoad] = useState<string | null>(initialBatchId);
  const sourceTask = { runId: data.run.id, task: data.task.taskName };

  const batch = useQuery(
    trpc.playground.batch.queryOptions(batchId ? { project, batchId } : skipToken, {
      refetchInterval: (q) => (q.state.status === 'error' || q.state.data?.finished ? false : 1_000),
    }),
  );
  const shown = batch.data?.batchId === batchId ? batch.data : undefined;
  const foreign = shown !== undefined && (shown.sourceRunId !== data.run.id || shown.taskName !== data.task.taskName);
  const history = useQuery(
    trpc.playground.history.queryOptions(
      { project, ...sourceTask },
      { refetchInterval: (q) => (q.state.data?.some((b) => b.variants.some((v) => !isTerminalRunStatus(v.runStatus))) ? 2_000 : false) },
    ),
  );

  useEffect(() => {
    if (!shown || toLoad !== shown.batchId) return;
    setToLoad(null);
    if (foreign) return;
    drafts.load(variables, shown.variants);
    setMode(shown.mode);
    setInputText(prettyJson(shown.input));
  }, [shown, toLoad, foreign, drafts, variables]);

  // The history shows each batch's outcome: refresh it when the batch on screen is done.
  const finished = shown?.finished ?? false;
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: trpc.playground.history.queryKey() });
  }, [finished, queryClient, trpc]);

  const checks = drafts.drafts.map((d) => variantOverrides(variables, { ...source, ...d.texts }));
  const input = checkInputText(inputText, data.run.input);
  const valid = input.ok && checks.every((c) => Object.keys(c.errors).length === 0);
  const mutation = useMutation(trpc.playground.run.mutationOptions());
  const blocked = !canRun
    ? 'You are a viewer in this project: running the playground needs the editor role.'
    : !data.runnable
      ? 'This task cannot be re-run.'
      : !valid
        ? 'Fix the errors in the editors to run.'
        : null;

  const run = () => {
    if (blocked || mutation.isPending || !input.ok) return;
    const keys = drafts.drafts.map((d) => d.key);
    mutation.mutate(
      {
        project,
        ...sourceTask,
        mode,
        ...(input.value.changed ? { input: input.value.input } : {}),
        variants: checks.map((c) => ({ overrides: c.overrides })),
      },
      {
        onSuccess: (started) => {
          drafts.markRun(keys);
          setToLoad(null);
          setBatchId(started.batchId);
          showBatchInUrl(started.batchId);
          void queryClient.invalidateQueries({ queryKey: trpc.playground.history.queryKey() });
        },
      },
    );
  };
  const open = (id: string) => {
    setBatchId(id);
    setToLoad(id);
    showBatchInUrl(id);
    // A finished batch's results are fixed; a running one's cached copy may be old.
    void queryClient.invalidateQueries({ queryKey: trpc.playground.batch.queryKey({ project, batchId: id }) });
  };

  // Ctrl/Cmd+Enter runs from anywhere, Monaco included: capture phase, before the editor sees the key.
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      e.preventDefault();
      e.stopPropagation();
      runRef.current();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);

  const count = drafts.drafts.length;
  const whatIfSource = {
    ...sourceTask,
    workflow: data.run.workflowName,
    mode,
    blocked: data.runnable ? null : 'This task cannot be re-run.',
  };
  const running = mutation.isPending || (shown !== undefined && !shown.finished);
  const sourceOutput = data.task.output;

  return (
    <section data-testid="playground" data-batch={batchId ?? undefined} data-finished={shown ? String(shown.finished) : undefined}>
      <PlaygroundHeader data={data} project={project} />

      <PlaygroundContext
        parents={data.parentOutputs}
        inputText={inputText}
        inputError={input.ok ? null : input.error}
        inputChanged={input.ok && input.value.changed}
        readOnly={!canRun}
        onInputChange={setInputText}
        onInputReset={() => setInputText(sourceInputText)}
      />

      <div className={styles.toolbar} data-testid="playground-toolbar">
        <fieldset className={styles.modes}>
          <legend>Mode</legend>
          <label>
            <input type="radio" name="playground-mode" data-testid="mode-step" checked={mode === 'STEP'} onChange={() => setMode('STEP')} />
            {MODE_LABELS.STEP}
          </label>
          <label>
            <input
              type="radio"
              name="playground-mode"
              data-testid="mode-from-here"
              checked={mode === 'FROM_HERE'}
              onChange={() => setMode('FROM_HERE')}
            />
            {MODE_LABELS.FROM_HERE}
            <span className={styles.downstream} data-testid="downstream">
              {data.downstream.length ? `then ${data.downstream.join(', ')}` : '(no downstream tasks)'}
            </span>
          </label>
        </fieldset>
        <div className={styles.actions}>
          {running ? <span className="live-indicator">Running</span> : null}
          <button
            type="button"
            className="button"
            data-testid="add-variant"
            disabled={count >= MAX_PLAYGROUND_VARIANTS}
            title={count >= MAX_PLAYGROUND_VARIANTS ? `At most ${MAX_PLAYGROUND_VARIANTS} variants` : 'A new variant copying the last one'}
            onClick={drafts.add}
          >
            Add variant
          </button>
          <button
            type="button"
            className={styles.primary}
            data-testid="run-button"
            aria-keyshortcuts="Control+Enter Meta+Enter"
            disabled={blocked !== null || mutation.isPending}
            onClick={run}
          >
            {mutation.isPending ? 'Starting…' : `Run ${count} variant${count === 1 ? '' : 's'}`}
            <kbd className={styles.kbd}>Ctrl+Enter</kbd>
          </button>
        </div>
        {blocked ? (
          <span className={styles.note} data-testid={canRun ? 'run-blocked' : 'viewer-note'}>
            {blocked}
          </span>
        ) : null}
      </div>

      {data.missingWorkers.length > 0 ? (
        <p className={styles.notice} role="status" data-testid="missing-workers">
          No live worker runs {data.missingWorkers.join(', ')}: the run will wait until one starts.
        </p>
      ) : null}
      {mutation.isError ? (
        <div className="error-box" role="alert" data-testid="run-error">
          Could not start the playground run: {mutation.error.message}
        </div>
      ) : null}
      {batch.isError && batchId ? (
        <div className="error-box" role="alert" data-testid="batch-error">
          Could not load playground run {batchId}: {batch.error.message}
        </div>
      ) : null}
      {foreign ? (
        <div className="error-box" role="alert" data-testid="batch-error">
          Playground run {batchId} re-ran {shown.taskName} of run {shown.sourceRunId}, not this task:{' '}
          <Link href={playgroundPath(project, shown.sourceRunId, shown.taskName, shown.batchId)}>open it there</Link>.
        </div>
      ) : null}

      <div className={styles.columns}>
        <SourceColumn data={data} project={project} />
        {drafts.drafts.map((draft, i) => {
          const result = !foreign && draft.result !== null ? (shown?.variants.find((v) => v.variant === draft.result) ?? null) : null;
          return (
            <VariantColumn
              key={draft.key}
              project={project}
              number={i + 1}
              variables={variables}
              texts={{ ...source, ...draft.texts }}
              sourceTexts={source}
              errors={checks[i]!.errors}
              readOnly={!canRun}
              canRemove={count > 1}
              onChange={(name, text) => drafts.setText(draft.key, name, text)}
              onRemove={() => drafts.remove(draft.key)}
              result={result}
              sourceOutput={sourceOutput}
              starting={mutation.isPending}
              whatIf={whatIfSource}
            />
          );
        })}
      </div>

      <PlaygroundHistory
        batches={history.data}
        error={history.isError ? history.error.message : null}
        variables={variables}
        currentBatchId={batchId}
        now={now}
        onOpen={open}
      />
    </section>
  );
}
