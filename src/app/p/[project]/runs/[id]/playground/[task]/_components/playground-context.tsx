'use client';

import { JsonEditor } from '@/app/_ui/json-editor/json-editor';
import { JsonView } from '@/app/_ui/json-view';
import type { PlaygroundTaskData } from './playground-types';
import { editorHeight } from './playground-variable';
import styles from './playground.module.css';
import { StatusBadge } from '@/app/_ui/status-badge';

interface Props {
  parents: PlaygroundTaskData['parentOutputs'];
  inputText: string;
  inputError: string | null;
  inputChanged: boolean;
  readOnly: boolean;
  onInputChange: (text: string) => void;
  onInputReset: () => void;
}

/** What every variant starts from: the run input (editable, sent only when changed) and the parents' outputs (as the source run had them). */
export function PlaygroundContext(props: Props) {
  return (
    <div className={styles.context}>
      <section className="panel" aria-label="Input">
        <div className={styles.variableHead}>
          <h2>Input</h2>
          {props.inputChanged ? (
            <span className={`${styles.tag} ${styles.edited}`}>edited: sent with the run</span>
          ) : (
            <span className={styles.note}>the source run’s input</span>
          )}
          <button
            type="button"
            className={`link-button ${styles.push}`}
            data-testid="reset-input"
            disabled={props.readOnly || !props.inputChanged}
            onClick={props.onInputReset}
          >
            Reset to the source input
          </button>
        </div>
        <div className={`${styles.editorBox} ${props.inputError ? styles.invalid : ''}`}>
          <JsonEditor
            value={props.inputText}
            onChange={props.onInputChange}
            height={Math.max(120, editorHeight(props.inputText, false))}
            readOnly={props.readOnly}
            testId="input-editor"
            ariaLabel="Run input (JSON)"
          />
        </div>
        {props.inputError ? (
          <div className={styles.fieldError} role="alert" data-testid="input-error">
            {props.inputError}
          </div>
        ) : null}
      </section>
      <section className="panel" aria-label="Parents' outputs" data-testid="parent-outputs">
        <h2>
          Parents’ outputs <span className="muted small">from the source run</span>
        </h2>
        {props.parents.length === 0 ? (
          <p className={styles.empty}>A root task: no parents.</p>
        ) : (
          props.parents.map((p) => (
            <div key={p.name} className={styles.parent} data-testid={`parent-${p.name}`}>
              <div className={styles.parentHead}>
                <span className={styles.variableName}>{p.name}</span>
                <StatusBadge status={p.status} />
              </div>
              <JsonView value={p.output} empty="No output" />
            </div>
          ))
        )}
      </section>
    </div>
  );
}
