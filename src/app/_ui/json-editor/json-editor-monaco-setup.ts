// Monaco from the local `monaco-editor` package, never from a CDN: @monaco-editor/react's loader
// defaults to jsDelivr, so it is handed the bundled module, and the web workers are bundled too.
// Browser only (imported by json-editor-monaco.tsx, which next/dynamic loads with ssr: false).
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import { jsonDefaults } from 'monaco-editor/language/json/monaco.contribution';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    if (label === 'json') {
      return new Worker(new URL('monaco-editor/language/json/json.worker', import.meta.url), { type: 'module' });
    }
    return new Worker(new URL('monaco-editor/editor/editor.worker', import.meta.url), { type: 'module' });
  },
};

loader.config({ monaco });

export { jsonDefaults, monaco };
