'use client';

import { useMemo } from 'react';
import { diffStats, parseUnifiedDiff, type DiffLineKind } from './pull-request-diff';
import styles from './pull-request.module.css';

const LINE_CLASS: Record<DiffLineKind, string | undefined> = {
  header: styles.header,
  hunk: styles.hunk,
  context: undefined,
  added: styles.added,
  removed: styles.removed,
  note: styles.note,
};

const SIGN: Record<DiffLineKind, string> = { header: '', hunk: '', context: ' ', added: '+', removed: '-', note: '' };

/** One file's unified diff, line by line: removed lines red, added ones green, old and new line numbers beside them (all text nodes). */
export function PullRequestFileDiff({ path, diff, variables }: { path: string; diff: string; variables: string[] }) {
  const lines = useMemo(() => parseUnifiedDiff(diff), [diff]);
  const stats = diffStats(lines);
  return (
    <div className={styles.file} data-testid="pr-file" data-path={path}>
      <div className={styles.filePath}>
        <span>{path}</span>
        <span className={styles.fileStats}>
          +{stats.added} −{stats.removed} · {variables.join(', ')}
        </span>
      </div>
      <pre className={styles.diff} aria-label={`Changes to ${path}`}>
        {lines.map((line, i) => (
          <span key={i} className={`${styles.line} ${LINE_CLASS[line.kind] ?? ''}`} data-testid="diff-line" data-kind={line.kind}>
            <span className={styles.lineNo}>{line.oldLine ?? ''}</span>
            <span className={styles.lineNo}>{line.newLine ?? ''}</span>
            <span className={styles.sign}>{SIGN[line.kind]}</span>
            <span data-testid="diff-text">{line.text}</span>
          </span>
        ))}
      </pre>
    </div>
  );
}
