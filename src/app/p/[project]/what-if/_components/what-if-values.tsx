'use client';

import { JsonEditor } from '@/app/_ui/json-editor/json-editor';
import { editorKind } from '../../runs/[id]/playground/[task]/_components/playground-values';
import { editorHeight } from '../../runs/[id]/playground/[task]/_components/playground-variable';
import styles from './what-if.module.css';

interface Props {
  /** The report's values: each edited as its own type (a string as text, the rest as JSON). */
  values: Record<string, unknown>;
  texts: Record<string, string>;
  errors: Record<string, string>;
  onChange: (name: string, text: string) => void;
}

/** One editor per variable, to re-run a report with other values. */
export function ValuesEditor({ values, texts, errors, onChange }: Props) {
  const names = Object.keys(values);
  if (!names.length) return <p className="muted small">This report changed no values.</p>;
  return (
    <div className={styles.stack} data-testid="what-if-values-editor">
      {names.map((name) => {
        const kind = editorKind(values[name]);
        const text = texts[name] ?? '';
        return (
          <div key={name} className={styles.variable} data-testid={`what-if-value-${name}`}>
            <span className={styles.variableName}>
              {name} <span className={styles.label}>{kind === 'text' ? 'text' : 'JSON'}</span>
            </span>
            <div className={`${styles.editorBox} ${errors[name] ? styles.invalid : ''}`}>
              <JsonEditor
                value={text}
                onChange={(t) => onChange(name, t)}
                language={kind === 'text' ? 'plaintext' : 'json'}
                wordWrap={kind === 'text'}
                height={Math.max(44, editorHeight(text, kind === 'text'))}
                testId={`what-if-editor-${name}`}
                ariaLabel={`${name} (new value)`}
              />
            </div>
            {errors[name] ? (
              <div className={styles.fieldError} role="alert">
                {errors[name]}
              </div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
