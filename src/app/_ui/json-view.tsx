'use client';

import { useMemo, useState } from 'react';
import { formatSize, toDisplayText, truncateText } from './format';

/**
 * Pre-formatted text from user data (LLM output, HTML, stack traces): always
 * rendered as a text node, never as markup. Past 20 KB it is cut until the
 * user clicks "show all", so a huge payload cannot freeze the page.
 */
export function TextBlock(props: { text: string; className?: string; testId?: string }) {
  const [showAll, setShowAll] = useState(false);
  const cut = useMemo(() => truncateText(props.text), [props.text]);
  const shown = showAll ? props.text : cut.text;
  return (
    <div className="text-block">
      <pre className={props.className} data-testid={props.testId}>
        {shown}
        {!showAll && cut.truncated ? '\n…' : null}
      </pre>
      {cut.truncated ? (
        <button type="button" className="link-button" onClick={() => setShowAll((v) => !v)}>
          {showAll ? 'Show less' : `Show all (${formatSize(cut.hidden)} more)`}
        </button>
      ) : null}
    </div>
  );
}

/** A JSON value (input, output, metadata). `null`/missing shows as a muted dash. */
export function JsonView(props: { value: unknown; testId?: string; empty?: string }) {
  const text = useMemo(() => toDisplayText(props.value), [props.value]);
  if (props.value === null || props.value === undefined) {
    return <p className="muted empty-value">{props.empty ?? '—'}</p>;
  }
  return <TextBlock text={text} className="json" testId={props.testId} />;
}
