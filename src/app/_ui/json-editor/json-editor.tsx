'use client';

import dynamic from 'next/dynamic';
import type { ComponentType } from 'react';

export interface JsonEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** JSON Schema the value should follow (editor hints only; callers validate themselves). */
  schema?: Record<string, unknown>;
  height?: number;
  readOnly?: boolean;
  testId?: string;
  ariaLabel?: string;
  /** 'plaintext' edits a string as it is (no JSON checks); default 'json'. */
  language?: 'json' | 'plaintext';
  /** Wrap long lines at the editor's width (prompts). */
  wordWrap?: boolean;
}

/** The fallback when Monaco cannot be loaded (its chunk failed): a plain textarea, same props. */
export function JsonTextarea(props: JsonEditorProps) {
  return (
    <div className="json-editor" data-testid={props.testId} data-editor="textarea">
      <textarea
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        readOnly={props.readOnly}
        aria-label={props.ariaLabel}
        spellCheck={false}
        style={{ width: '100%', height: props.height ?? 220, font: '13px/1.5 var(--mono)', padding: 8, boxSizing: 'border-box' }}
      />
    </div>
  );
}

/** A JSON (or plain text) editor: Monaco, bundled (no CDN) and loaded in the browser only. */
export const JsonEditor = dynamic<JsonEditorProps>(
  () =>
    import('./json-editor-monaco').then(
      (m) => m.default,
      (error: unknown) => {
        console.error('Monaco could not be loaded; using a plain text area', error);
        return JsonTextarea as ComponentType<JsonEditorProps>;
      },
    ),
  { ssr: false, loading: () => <p className="muted small">Loading editor…</p> },
);
