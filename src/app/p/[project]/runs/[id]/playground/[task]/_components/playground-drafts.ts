'use client';

import { useCallback, useMemo, useRef, useState } from 'react';
import { MAX_PLAYGROUND_VARIANTS } from '@/server/shared/limits';
import { textsFromOverrides, type VariableLike } from './playground-values';

/** One variant column being edited: its editor texts by variable name, and which variant of the shown batch is its result. */
export interface VariantDraft {
  key: string;
  texts: Record<string, string>;
  /** Index of its run in the batch on screen; null until it has run. */
  result: number | null;
}

/** The variant columns: starts with one holding the source run's values; at most MAX_PLAYGROUND_VARIANTS. */
export function useVariantDrafts(initialTexts: Record<string, string>) {
  const counter = useRef(0);
  const make = useCallback(
    (texts: Record<string, string>, result: number | null = null): VariantDraft => ({ key: `variant-${++counter.current}`, texts, result }),
    [],
  );
  const [drafts, setDrafts] = useState<VariantDraft[]>(() => [make(initialTexts)]);

  return useMemo(
    () => ({
      drafts,
      /** A new column copying the last one's values. */
      add: () => setDrafts((all) => (all.length >= MAX_PLAYGROUND_VARIANTS ? all : [...all, make({ ...all[all.length - 1]!.texts })])),
      remove: (key: string) => setDrafts((all) => (all.length <= 1 ? all : all.filter((d) => d.key !== key))),
      setText: (key: string, name: string, text: string) =>
        setDrafts((all) => all.map((d) => (d.key === key ? { ...d, texts: { ...d.texts, [name]: text } } : d))),
      /** The columns `keys` (in order) were just sent as a batch's variants 0, 1, …; the others have no result in it. */
      markRun: (keys: readonly string[]) =>
        setDrafts((all) => all.map((d) => ({ ...d, result: keys.includes(d.key) ? keys.indexOf(d.key) : null }))),
      /** Replaces the columns with a batch's variants (reopened from the history or the URL). */
      load: (variables: readonly VariableLike[], variants: ReadonlyArray<{ variant: number; overrides: Record<string, unknown> }>) =>
        setDrafts(variants.map((v) => make(textsFromOverrides(variables, v.overrides), v.variant))),
    }),
    [drafts, make],
  );
}
