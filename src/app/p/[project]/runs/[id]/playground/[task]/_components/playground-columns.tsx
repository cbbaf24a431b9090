'use client';

import Link from 'next/link';
import { OutputDiffView, TaskResult } from './playground-result';
import type { PlaygroundBatchVariant, PlaygroundTaskData, PlaygroundVariable } from './playground-types';
import { SourceVariable, StaleVariable, VariableEditor } from './playground-variable';
import { VariantPullRequest } from './pull-request/pull-request-button';
import { TryOnMoreRuns, type WhatIfSource } from '@/app/p/[project]/what-if/_components/what-if-button';
import styles from './playground.module.css';
import { StatusBadge } from '@/app/_ui/status-badge';
import { runPath } from '@/server/shared/urls';

/** The source task as it ran: its variables (default, value used, call site) and its output, left of the variants. */
export function SourceColumn({ data, project }: { data: PlaygroundTaskData; project: string }) {
  return (
    <section className={`${styles.column} ${styles.sourceColumn}`} data-testid="source-column" aria-label="Source run">
      <div className={styles.columnHead}>
        <h2>Source run</h2>
        <StatusBadge status={data.task.status} />
        <Link className={`${styles.push} small`} href={runPath(project, data.run.id)}>
          open run
        </Link>
      </div>
      <div className={styles.section}>
        {data.variables.length === 0 ? (
          <p className={styles.empty}>
            This task exposes no variables: add <code>ctx.playground(name, default)</code> calls to tune values here. You can still re-run
            it with another input.
          </p>
        ) : (
          data.variables.map((v) => <SourceVariable key={v.name} variable={v} />)
        )}
      </div>
      <div className={styles.section} data-testid="source-result">
        <TaskResult result={data.task} />
      </div>
    </section>
  );
}

interface VariantColumnProps {
  project: string;
  /** 1-based, as the page and the server's messages number variants. */
  number: number;
  variables: PlaygroundVariable[];
  texts: Record<string, string>;
  sourceTexts: Record<string, string>;
  errors: Record<string, string>;
  readOnly: boolean;
  canRemove: boolean;
  onChange: (name: string, text: string) => void;
  onRemove: () => void;
  /** This variant's run in the batch shown, if it ran. */
  result: PlaygroundBatchVariant | null;
  sourceOutput: unknown;
  /** The variants are being sent: this one's result is on its way. */
  starting: boolean;
  /** Where "Try on more runs…" re-runs this variant's values. */
  whatIf: WhatIfSource;
}

export function VariantColumn(props: VariantColumnProps) {
  const { number, result } = props;
  return (
    <section className={styles.column} data-testid={`variant-${number}`} aria-label={`Variant ${number}`}>
      <div className={styles.columnHead}>
        <h2>Variant {number}</h2>
        {result ? <StatusBadge status={result.task?.status ?? result.runStatus} /> : null}
        {result?.waitingForWorker ? (
          <span className={`${styles.tag} ${styles.waiting}`} data-testid="waiting-for-worker">
            waiting for a worker
          </span>
        ) : null}
        <span className={styles.push} />
        {result ? (
          <Link className="small" href={runPath(props.project, result.runId)} data-testid="variant-run-link">
            open run
          </Link>
        ) : null}
        <button
          type="button"
          className="link-button"
          data-testid="remove-variant"
          aria-label={`Remove variant ${number}`}
          disabled={!props.canRemove}
          onClick={props.onRemove}
        >
          Remove
        </button>
      </div>
      <div className={styles.section}>
        {props.variables.map((v) =>
          v.stale ? (
            <StaleVariable key={v.name} variable={v} />
          ) : (
            <VariableEditor
              key={v.name}
              variable={v}
              variant={number}
              text={props.texts[v.name] ?? ''}
              sourceText={props.sourceTexts[v.name] ?? ''}
              error={props.errors[v.name]}
              readOnly={props.readOnly}
              onChange={(text) => props.onChange(v.name, text)}
            />
          ),
        )}
        <TryOnMoreRuns
          project={props.project}
          source={props.whatIf}
          variant={number}
          variables={props.variables}
          texts={props.texts}
          readOnly={props.readOnly}
        />
      </div>
      <div className={styles.section} data-testid="variant-result">
        {result?.task ? (
          <>
            <TaskResult result={result.task} />
            {result.task.output !== null && result.task.output !== undefined ? (
              <OutputDiffView before={props.sourceOutput} after={result.task.output} />
            ) : null}
            <VariantPullRequest
              project={props.project}
              variant={number}
              result={result}
              variables={props.variables}
              readOnly={props.readOnly}
            />
          </>
        ) : result ? (
          <p className={styles.empty}>Run {result.runStatus.toLowerCase()}…</p>
        ) : (
          <p className={styles.empty}>{props.starting ? 'Starting…' : 'Not run yet: press Run (Ctrl+Enter).'}</p>
        )}
      </div>
    </section>
  );
}
