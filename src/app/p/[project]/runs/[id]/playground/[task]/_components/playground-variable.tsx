'use client';

import { JsonEditor } from '@/app/_ui/json-editor/json-editor';
import { TextBlock } from '@/app/_ui/json-view';
import type { PlaygroundVariable } from './playground-types';
import { defaultText, editorKind, sameJson, valueToText } from './playground-values';
import styles from './playground.module.css';

const LINE_HEIGHT = 19;
/** About what a variant column's editor fits on one line before wrapping. */
const WRAP_CHARS = 38;

/** Small values (a model name, a temperature) get a small editor; a prompt gets room, up to a limit. */
export function editorHeight(text: string, wrapped: boolean): number {
  const lines = text.split('\n').reduce((n, line) => n + (wrapped ? Math.max(1, Math.ceil(line.length / WRAP_CHARS)) : 1), 0);
  return Math.min(wrapped ? 200 : 240, Math.max(44, (lines + (wrapped ? 1 : 0)) * LINE_HEIGHT + 14));
}

export function callSite(v: Pick<PlaygroundVariable, 'file' | 'line' | 'column'>): string | null {
  return v.file ? `${v.file}:${v.line ?? '?'}:${v.column ?? '?'}` : null;
}

export function StaleTag() {
  return (
    <span
      className={`${styles.tag} ${styles.stale}`}
      data-testid="stale-badge"
      title="The current code no longer exposes this variable: it is shown, not sent"
    >
      stale
    </span>
  );
}

/** The source column's card of a variable: where it is in the code, its default and what the source run used. */
export function SourceVariable({ variable }: { variable: PlaygroundVariable }) {
  const kind = editorKind(variable.defaultValue);
  const site = callSite(variable);
  const used = variable.sourceValue;
  return (
    <div className={styles.variable} data-testid={`source-variable-${variable.name}`}>
      <div className={styles.variableHead}>
        <span className={styles.variableName}>{variable.name}</span>
        {variable.stale ? <StaleTag /> : null}
        {variable.sourceOverridden ? <span className={`${styles.tag} ${styles.edited}`}>overridden</span> : null}
      </div>
      {site ? (
        <span className={styles.callsite} data-testid="callsite" title="Where the code calls ctx.playground()">
          {site}
        </span>
      ) : (
        <span className={styles.callsite}>call site unknown</span>
      )}
      <span className={styles.label}>Default in code</span>
      <TextBlock text={defaultText(variable)} testId="default-value" />
      <span className={styles.label}>Source run used</span>
      {used === undefined ? (
        <p className={styles.empty}>not reported by the source run</p>
      ) : !variable.sourceOverridden && sameJson(used, variable.defaultValue) ? (
        <p className={styles.empty} data-testid="source-value">
          the default
        </p>
      ) : (
        <TextBlock text={valueToText(kind, used)} testId="source-value" />
      )}
    </div>
  );
}

interface EditorProps {
  variable: PlaygroundVariable;
  variant: number;
  text: string;
  /** The source run's value as an editor text: the editor says when the variant differs from it. */
  sourceText: string;
  error: string | undefined;
  readOnly: boolean;
  onChange: (text: string) => void;
}

/** A variant's editor for one variable: prompts as wrapped plain text, other values as JSON checked against the default's type. */
export function VariableEditor({ variable, variant, text, sourceText, error, readOnly, onChange }: EditorProps) {
  const kind = editorKind(variable.defaultValue);
  const reset = defaultText(variable);
  const label = `${variable.name} (variant ${variant})`;
  return (
    <div className={styles.variable} data-testid={`variable-${variable.name}`} data-invalid={error ? 'true' : undefined}>
      <div className={styles.variableHead}>
        <span className={styles.variableName}>{variable.name}</span>
        <span className={styles.label}>{kind === 'text' ? 'text' : 'JSON'}</span>
        {text !== sourceText ? <span className={`${styles.tag} ${styles.edited}`}>edited</span> : null}
        <button
          type="button"
          className={`link-button ${styles.push}`}
          data-testid="reset-default"
          aria-label={`Reset ${variable.name} to its default in variant ${variant}`}
          disabled={readOnly || text === reset}
          onClick={() => onChange(reset)}
        >
          Reset to default
        </button>
      </div>
      <div className={`${styles.editorBox} ${error ? styles.invalid : ''}`}>
        <JsonEditor
          value={text}
          onChange={onChange}
          language={kind === 'text' ? 'plaintext' : 'json'}
          wordWrap={kind === 'text'}
          height={editorHeight(text, kind === 'text')}
          readOnly={readOnly}
          testId={`editor-${variable.name}`}
          ariaLabel={label}
        />
      </div>
      {error ? (
        <div className={styles.fieldError} role="alert" data-testid="variable-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** A stale variable in a variant column: the current code does not read it, so it is not sent. */
export function StaleVariable({ variable }: { variable: PlaygroundVariable }) {
  return (
    <div className={styles.variable} data-testid={`variable-${variable.name}`}>
      <div className={styles.variableHead}>
        <span className={styles.variableName}>{variable.name}</span>
        <StaleTag />
      </div>
      <p className={styles.staleValue}>The current code no longer exposes it: not sent.</p>
    </div>
  );
}
