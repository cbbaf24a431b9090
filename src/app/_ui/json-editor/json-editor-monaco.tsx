'use client';

import Editor from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import { jsonDefaults } from './json-editor-monaco-setup';
import type { JsonEditorProps } from './json-editor';

/** Monaco with the JSON language (or plain text); `schema` (JSON Schema) adds squiggles and completions for the value. */
export default function MonacoJsonEditor(props: JsonEditorProps) {
  const language = props.language ?? 'json';
  const modelUri = useRef(
    `inmemory://whetstone/${props.testId ?? 'json'}-${Math.random().toString(36).slice(2)}.${language === 'json' ? 'json' : 'txt'}`,
  );
  const { schema } = props;

  useEffect(() => {
    const uri = modelUri.current;
    const others = (jsonDefaults.diagnosticsOptions.schemas ?? []).filter((s) => !s.fileMatch?.includes(uri));
    jsonDefaults.setDiagnosticsOptions({
      validate: true,
      allowComments: false,
      enableSchemaRequest: false,
      schemas: schema ? [...others, { uri: `${uri}#schema`, fileMatch: [uri], schema }] : others,
    });
  }, [schema]);

  return (
    <div className="json-editor" data-testid={props.testId} data-editor="monaco" aria-label={props.ariaLabel}>
      <Editor
        height={props.height ?? 220}
        language={language}
        path={modelUri.current}
        value={props.value}
        onChange={(value) => props.onChange(value ?? '')}
        loading={<p className="muted small">Loading editor…</p>}
        options={{
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 13,
          tabSize: 2,
          automaticLayout: true,
          readOnly: props.readOnly,
          wordWrap: props.wordWrap ? 'on' : 'off',
          ariaLabel: props.ariaLabel,
        }}
      />
    </div>
  );
}
