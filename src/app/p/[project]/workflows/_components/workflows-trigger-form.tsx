'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import { JsonEditor } from '@/app/_ui/json-editor/json-editor';
import { useTRPC } from '@/app/_trpc/providers';
import { checkRunInput, compileInputSchema, exampleInput, metadataFromRows, type MetadataRow } from './workflows-input';
import styles from './workflows.module.css';
import { runPath } from '@/server/shared/urls';

interface Props {
  project: string;
  workflow: string;
  /** The latest version: the one a triggered run uses. */
  version: number;
  inputSchema: Record<string, unknown> | null;
  defaultPriority: number;
}

/** Starts a run of the workflow's latest version with an input typed in Monaco, then opens the run. */
export function TriggerRunForm({ project, workflow, version, inputSchema, defaultPriority }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const schema = inputSchema ?? undefined;
  const compiled = useMemo(() => compileInputSchema(schema), [schema]);
  const [text, setText] = useState(() => exampleInput(schema));
  const [rows, setRows] = useState<MetadataRow[]>([]);
  const [priority, setPriority] = useState<string>('');
  const input = useMemo(() => checkRunInput(text, compiled), [text, compiled]);
  const metadata = useMemo(() => metadataFromRows(rows), [rows]);
  const trigger = useMutation(trpc.workflows.trigger.mutationOptions({ onSuccess: ({ runId }) => router.push(runPath(project, runId)) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!input.ok || !metadata.ok || trigger.isPending) return;
    trigger.mutate({
      project,
      name: workflow,
      input: input.value,
      additionalMetadata: metadata.value,
      ...(priority ? { priority: Number(priority) } : {}),
    });
  };
  const setRow = (index: number, row: Partial<MetadataRow>) => setRows((all) => all.map((r, i) => (i === index ? { ...r, ...row } : r)));

  return (
    <form className={`panel ${styles.form}`} onSubmit={submit} data-testid="trigger-run-form" aria-label="Trigger run">
      <div className={styles.sectionHead}>
        <h2>Trigger run</h2>
        <span className="muted small">runs v{version} (latest)</span>
      </div>
      <span className="muted small">Input (JSON){inputSchema ? ', checked against the version’s input schema' : ''}</span>
      <div className={`${styles.editorBox} ${input.ok ? '' : styles.invalid}`}>
        <JsonEditor value={text} onChange={setText} schema={schema} height={200} testId="trigger-input" ariaLabel="Run input (JSON)" />
      </div>
      {input.ok ? null : (
        <div className="error-box" role="alert" data-testid="trigger-input-error">
          <pre className={styles.inputError}>{input.error}</pre>
        </div>
      )}

      <div>
        <div className={styles.formRow}>
          <span className="muted small">Metadata</span>
          <button
            type="button"
            className="link-button"
            data-testid="trigger-add-metadata"
            onClick={() => setRows((all) => [...all, { key: '', value: '' }])}
          >
            + Add key
          </button>
        </div>
        {rows.map((row, i) => (
          <div key={i} className={styles.formRow}>
            <input
              aria-label={`Metadata key ${i + 1}`}
              data-testid={`trigger-metadata-key-${i}`}
              placeholder="key"
              value={row.key}
              onChange={(e) => setRow(i, { key: e.target.value })}
            />
            <span className="muted">=</span>
            <input
              aria-label={`Metadata value ${i + 1}`}
              data-testid={`trigger-metadata-value-${i}`}
              placeholder="value"
              value={row.value}
              onChange={(e) => setRow(i, { value: e.target.value })}
            />
            <button
              type="button"
              className="link-button"
              aria-label={`Remove metadata ${i + 1}`}
              onClick={() => setRows((all) => all.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        ))}
        {metadata.ok ? null : (
          <div className="error-box" role="alert" data-testid="trigger-metadata-error">
            {metadata.error}
          </div>
        )}
      </div>

      <label className={styles.formRow}>
        <span className="muted small">Priority</span>
        <select data-testid="trigger-priority" value={priority} onChange={(e) => setPriority(e.target.value)}>
          <option value="">workflow default ({defaultPriority})</option>
          <option value="1">1 (low)</option>
          <option value="2">2</option>
          <option value="3">3 (most urgent)</option>
        </select>
      </label>

      {trigger.isError ? (
        <div className="error-box" role="alert" data-testid="trigger-error">
          Could not start the run: {trigger.error.message}
        </div>
      ) : null}
      <div>
        <button
          type="submit"
          className={styles.primary}
          data-testid="trigger-submit"
          disabled={!input.ok || !metadata.ok || trigger.isPending || trigger.isSuccess}
        >
          {trigger.isPending || trigger.isSuccess ? 'Starting…' : 'Trigger run'}
        </button>
      </div>
    </form>
  );
}
