'use client';

import { useState } from 'react';
import type { PlaygroundBatchVariant, PlaygroundVariable } from '../playground-types';
import { PullRequestDialog } from './pull-request-dialog';
import type { PullRequestOpened } from './pull-request-types';
import { changedVariableNames } from './pull-request-values';
import styles from './pull-request.module.css';

interface Props {
  project: string;
  /** 1-based variant number. */
  variant: number;
  result: PlaygroundBatchVariant;
  variables: readonly PlaygroundVariable[];
  /** Viewers see no button (the server refuses them anyway). */
  readOnly: boolean;
}

/**
 * "Open pull request…" under a variant that succeeded with values other than the code's defaults
 * (editors and owners); after it, a link to the pull request it opened or pushed to.
 */
export function VariantPullRequest({ project, variant, result, variables, readOnly }: Props) {
  const [dialogOpen, setDialogOpen] = useState(false);
  const [opened, setOpened] = useState<PullRequestOpened | null>(null);
  const task = result.task;
  if (readOnly || task?.status !== 'SUCCEEDED') return null;
  const changed = changedVariableNames(task.values, variables);
  if (!changed.length) return null;
  return (
    <div className={styles.variantAction}>
      <button
        type="button"
        className="button"
        data-testid="open-pull-request"
        title={`Make ${changed.join(', ')} the new default${changed.length === 1 ? '' : 's'} in the code`}
        onClick={() => setDialogOpen(true)}
      >
        Open pull request…
      </button>
      {opened ? (
        <span className={styles.opened} data-testid="variant-pull-request">
          {opened.mode === 'push' ? 'Pushed to ' : 'Opened '}
          <a href={opened.pullRequest.url} target="_blank" rel="noopener noreferrer">
            #{opened.pullRequest.number}
          </a>
        </span>
      ) : null}
      {dialogOpen ? (
        <PullRequestDialog
          project={project}
          variantRunId={result.runId}
          variant={variant}
          onOpened={setOpened}
          onClose={() => setDialogOpen(false)}
        />
      ) : null}
    </div>
  );
}
