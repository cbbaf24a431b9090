'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { PlaygroundMode } from '../../runs/[id]/playground/[task]/_components/playground-types';
import { useTRPC } from '@/app/_trpc/providers';
import { MAX_WHAT_IF_RUNS } from '@/server/shared/limits';
import { useNow } from '@/app/_ui/time';
import { MODE_TEXT } from './what-if-format';
import { ValueChips } from './what-if-parts';
import {
  checkRules,
  checkValueTexts,
  matchingCount,
  sourceListInput,
  startSources,
  valueTexts,
  type RuleDraft,
  type SourceFilter,
} from './what-if-request';
import { RulesEditor } from './what-if-rules';
import { SourceFilterForm, SourcePicker, type SourcesBy } from './what-if-sources';
import type { WhatIfWarning } from './what-if-types';
import { ValuesEditor } from './what-if-values';
import styles from './what-if.module.css';
import { whatIfPath } from '@/server/shared/urls';

/** What the dialog starts from: empty from the playground, a report's choices when re-running it. */
export interface WhatIfDialogInitial {
  mode: PlaygroundMode;
  by: SourcesBy;
  filter: SourceFilter;
  runIds: string[];
  rules: RuleDraft[];
}

interface Props {
  project: string;
  /** A run of the workflow whose recorded variables the warnings compare with (the playground's source run). */
  runId: string;
  task: string;
  workflow: string;
  title: string;
  /** The values to try: as a playground variant has them, or (editable) a report's. */
  values: Record<string, unknown>;
  editableValues: boolean;
  initial?: WhatIfDialogInitial;
  onClose: () => void;
}

/**
 * "Try on more runs": choose earlier runs of the workflow (the runs list's filters, or by hand, up
 * to 200), the mode and optional checks; Start re-runs the task on each with the values, as a
 * report. When the code changed since the source run, the server's warnings come back first.
 */
export function WhatIfDialog({ project, runId, task, workflow, title, values, editableValues, initial, onClose }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const now = useNow(30_000);
  const dialog = useRef<HTMLDivElement>(null);
  const [mode, setMode] = useState<PlaygroundMode>(initial?.mode ?? 'STEP');
  const [filter, setFilter] = useState<SourceFilter>(initial?.filter ?? {});
  const [by, setBy] = useState<SourcesBy>(initial?.by ?? 'filter');
  const [picked, setPicked] = useState<Set<string>>(() => new Set(initial?.runIds ?? []));
  const [rules, setRules] = useState<RuleDraft[]>(initial?.rules ?? []);
  const [texts, setTexts] = useState(() => valueTexts(values));
  const [warned, setWarned] = useState<{ key: string; warnings: WhatIfWarning[] } | null>(null);

  const list = useQuery(
    trpc.runs.list.queryOptions({ project, ...sourceListInput(workflow, filter) }, { placeholderData: keepPreviousData }),
  );
  const start = useMutation(trpc.whatIf.start.mutationOptions());
  const busy = start.isPending || start.data?.started === true;

  const valueCheck = editableValues ? checkValueTexts(values, texts) : { overrides: values, errors: {} as Record<string, string> };
  const ruleCheck = checkRules(rules);
  const match = list.data ? matchingCount(list.data, filter.status) : null;
  const sources = by === 'hand' ? startSources({ by, runIds: [...picked] }) : startSources({ by, filter });
  const request = { project, runId, task, mode, overrides: valueCheck.overrides, sources, rules: ruleCheck.ok ? ruleCheck.rules : [] };
  // Warnings answer one request: changing anything asks the server again.
  const key = JSON.stringify(request);
  const warnings = warned?.key === key ? warned.warnings : null;

  const blocked = Object.keys(valueCheck.errors).length
    ? 'Fix the values first.'
    : !ruleCheck.ok
      ? 'Fix the checks first.'
      : by === 'hand'
        ? picked.size === 0
          ? 'Pick at least one run.'
          : picked.size > MAX_WHAT_IF_RUNS
            ? `At most ${MAX_WHAT_IF_RUNS} runs.`
            : null
        : !match
          ? 'Counting the matching runs…'
          : match.count === 0
            ? 'No run matches the filter.'
            : match.atLeast || match.count > MAX_WHAT_IF_RUNS
              ? `More than ${MAX_WHAT_IF_RUNS} runs match.`
              : null;
  const rowCount = by === 'hand' ? picked.size : (match?.count ?? 0);

  const submit = (confirmWarnings: boolean) => {
    if (blocked || busy) return;
    start.mutate(
      { ...request, confirmWarnings },
      {
        onSuccess: (result) => {
          if (result.started) router.push(whatIfPath(project, result.reportId));
          else setWarned({ key, warnings: result.warnings });
        },
      },
    );
  };

  useEffect(() => dialog.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Escape inside Monaco closes its own widgets, not the dialog.
      const inEditor = e.target instanceof Element && e.target.closest('.monaco-editor');
      if (e.key === 'Escape' && !busy && !inEditor) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  return (
    <div className={styles.backdrop}>
      <div
        ref={dialog}
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby="what-if-title"
        className={styles.dialog}
        data-testid="what-if-dialog"
      >
        <h2 id="what-if-title">{title}</h2>
        <p className="muted small">
          Re-runs <span className="mono">{task}</span> of earlier runs of <span className="mono">{workflow}</span> with these values, each
          as a new run linked to its source, on the real workers. The report compares every old output with the new one.
        </p>

        <div className={styles.block}>
          <h3>Values</h3>
          {editableValues ? (
            <ValuesEditor
              values={values}
              texts={texts}
              errors={valueCheck.errors}
              onChange={(name, text) => setTexts((t) => ({ ...t, [name]: text }))}
            />
          ) : (
            <ValueChips values={values} testId="what-if-values" expandable />
          )}
        </div>

        <div className={styles.block}>
          <h3>Runs to try it on</h3>
          <SourceFilterForm filter={filter} onChange={setFilter} />
          <SourcePicker
            page={list.data}
            loading={list.isFetching}
            error={list.isError ? list.error.message : null}
            status={filter.status}
            by={by}
            onBy={setBy}
            picked={picked}
            onPicked={setPicked}
            now={now}
          />
        </div>

        <div className={styles.block}>
          <h3>Re-run</h3>
          <div className={styles.row} role="radiogroup" aria-label="Re-run">
            {(['STEP', 'FROM_HERE'] as const).map((m) => (
              <label key={m} className={styles.row}>
                <input
                  type="radio"
                  name="what-if-mode"
                  checked={mode === m}
                  data-testid={`what-if-mode-${m === 'STEP' ? 'step' : 'from-here'}`}
                  onChange={() => setMode(m)}
                />
                {MODE_TEXT[m]}
              </label>
            ))}
          </div>
        </div>

        <RulesEditor rules={rules} errors={ruleCheck.ok ? {} : ruleCheck.errors} onChange={setRules} />

        {warnings ? (
          <div className={styles.warnings} role="alert" data-testid="what-if-warnings">
            <strong>The code changed since the source run.</strong> Check before starting:
            <ul>
              {warnings.map((w, i) => (
                <li key={i} data-kind={w.kind}>
                  {w.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {start.isError ? (
          <div className="error-box" role="alert" data-testid="what-if-error">
            Could not start: {start.error.message}
          </div>
        ) : null}

        <div className={styles.actions}>
          {blocked ? (
            <span className="muted small" data-testid="what-if-blocked">
              {blocked}
            </span>
          ) : null}
          <button type="button" className="button" data-testid="what-if-cancel" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          {warnings ? (
            <button
              type="button"
              className={styles.primary}
              data-testid="what-if-start-anyway"
              disabled={blocked !== null || busy}
              onClick={() => submit(true)}
            >
              {busy ? 'Starting…' : 'Start anyway'}
            </button>
          ) : (
            <button
              type="button"
              className={styles.primary}
              data-testid="what-if-start"
              disabled={blocked !== null || busy}
              onClick={() => submit(false)}
            >
              {busy ? 'Starting…' : `Start on ${rowCount} run${rowCount === 1 ? '' : 's'}`}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
