'use client';

import { useState } from 'react';
import type { PlaygroundMode, PlaygroundVariable } from '../../runs/[id]/playground/[task]/_components/playground-types';
import { variantOverrides } from '../../runs/[id]/playground/[task]/_components/playground-values';
import { WhatIfDialog } from './what-if-dialog';
import { rulesToDrafts } from './what-if-request';
import styles from './what-if.module.css';

/** The playground's source task a variant would be tried from. */
export interface WhatIfSource {
  runId: string;
  task: string;
  workflow: string;
  /** The playground's mode: the dialog starts with it. */
  mode: PlaygroundMode;
  /** Why it cannot be re-run at all (an onFailure task, a task gone from the latest version), else null. */
  blocked: string | null;
}

interface Props {
  project: string;
  source: WhatIfSource;
  /** 1-based variant number. */
  variant: number;
  variables: PlaygroundVariable[];
  texts: Record<string, string>;
  /** Viewers see no button (the server refuses them anyway). */
  readOnly: boolean;
}

/** "Try on more runs…" under a variant's values (editors and owners): the same values over many earlier runs, as a what-if report. */
export function TryOnMoreRuns({ project, source, variant, variables, texts, readOnly }: Props) {
  const [open, setOpen] = useState(false);
  if (readOnly) return null;
  const { overrides, errors } = variantOverrides(variables, texts);
  const invalid = Object.keys(errors).length > 0;
  const why = source.blocked ?? (invalid ? 'Fix the errors in this variant’s values first' : null);
  return (
    <div className={styles.variantAction}>
      <button
        type="button"
        className="button"
        data-testid="try-on-more-runs"
        disabled={why !== null}
        title={why ?? `Re-run ${source.task} of many earlier runs of ${source.workflow} with variant ${variant}'s values, and compare`}
        onClick={() => setOpen(true)}
      >
        Try on more runs…
      </button>
      {open ? (
        <WhatIfDialog
          project={project}
          runId={source.runId}
          task={source.task}
          workflow={source.workflow}
          title={`Try variant ${variant} on more runs`}
          values={overrides}
          editableValues={false}
          initial={{ mode: source.mode, by: 'filter', filter: {}, runIds: [], rules: rulesToDrafts([]) }}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </div>
  );
}
