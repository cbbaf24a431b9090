'use client';

import { useState, type FormEvent } from 'react';
import type { RunListPage } from '@/server/runs/list-query';
import { TIME_PRESET_NAMES, TRIGGER_SOURCES, type TimePreset, type TriggerFilter } from '@/server/runs/view';
import { MAX_SEARCH_LENGTH, MAX_WHAT_IF_RUNS } from '@/server/shared/limits';
import { RUN_STATUSES, type RunStatusName } from '@/server/shared/statuses';
import { normalizeTime, parseMetadataPair, withoutTimeRange } from '../../runs/_components/run-filters';
import { statusLabel } from '@/app/_ui/status-badge';
import { formatRelative } from '@/app/_ui/format';
import { matchingCount, matchText, type SourceFilter } from './what-if-request';
import { shortId } from './what-if-format';
import styles from './what-if.module.css';
import { fieldText, toLocalInput } from '@/app/_ui/form-fields';

export type SourcesBy = 'filter' | 'hand';

/** Source runs never include playground runs (experiments): those two trigger choices are not offered. */
const SOURCE_TRIGGERS = TRIGGER_SOURCES.filter((t) => t !== 'PLAYGROUND');

/** The runs list's filters, compact: status, time range, trigger, metadata key=value, text search. */
export function SourceFilterForm({ filter, onChange }: { filter: SourceFilter; onChange: (filter: SourceFilter) => void }) {
  const [metaProblem, setMetaProblem] = useState<string | null>(null);
  const [custom, setCustom] = useState(Boolean(filter.from || filter.to));
  const meta = filter.meta ?? {};
  const time = filter.since ?? (custom || filter.from || filter.to ? 'custom' : '');
  const setTime = (value: string) => {
    const rest = withoutTimeRange(filter);
    setCustom(value === 'custom');
    onChange(value === '' || value === 'custom' ? rest : { ...rest, since: value as TimePreset });
  };
  const setBound = (bound: 'from' | 'to', local: string) => onChange({ ...filter, [bound]: normalizeTime(local) });
  const addMeta = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const pair = parseMetadataPair(fieldText(e.currentTarget, 'pair'));
    if (!pair) return setMetaProblem('Use key=value, e.g. customerId=c42');
    setMetaProblem(null);
    e.currentTarget.reset();
    onChange({ ...filter, meta: { ...meta, [pair[0]]: pair[1] } });
  };
  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onChange({ ...filter, q: fieldText(e.currentTarget, 'q') || undefined });
  };
  return (
    <div className={styles.stack} data-testid="what-if-filter">
      <div className={styles.row}>
        <label className={styles.row}>
          <span className={styles.label}>Status</span>
          <select
            className={styles.input}
            value={filter.status ?? ''}
            data-testid="what-if-status"
            onChange={(e) => onChange({ ...filter, status: (e.target.value || undefined) as RunStatusName | undefined })}
          >
            <option value="">Any status</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.row}>
          <span className={styles.label}>Created</span>
          <select className={styles.input} value={time} data-testid="what-if-time" onChange={(e) => setTime(e.target.value)}>
            <option value="">Any time</option>
            {TIME_PRESET_NAMES.map((p) => (
              <option key={p} value={p}>
                Last {p}
              </option>
            ))}
            <option value="custom">Custom range…</option>
          </select>
        </label>
        {time === 'custom' ? (
          <span className={styles.row}>
            <label>
              <span className={styles.label}>From </span>
              <input
                className={styles.input}
                type="datetime-local"
                value={toLocalInput(filter.from)}
                data-testid="what-if-from"
                onChange={(e) => setBound('from', e.target.value)}
              />
            </label>
            <label>
              <span className={styles.label}>to </span>
              <input
                className={styles.input}
                type="datetime-local"
                value={toLocalInput(filter.to)}
                data-testid="what-if-to"
                onChange={(e) => setBound('to', e.target.value)}
              />
            </label>
          </span>
        ) : null}
        <label className={styles.row}>
          <span className={styles.label}>Trigger</span>
          <select
            className={styles.input}
            value={filter.trigger ?? ''}
            data-testid="what-if-trigger"
            onChange={(e) => onChange({ ...filter, trigger: (e.target.value || undefined) as TriggerFilter | undefined })}
          >
            <option value="">Any (playground runs never count)</option>
            {SOURCE_TRIGGERS.map((t) => (
              <option key={t} value={t}>
                {t.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className={styles.row}>
        <form className={`${styles.row} ${styles.grow}`} role="search" onSubmit={search}>
          <input
            key={filter.q ?? ''}
            name="q"
            type="search"
            className={`${styles.input} ${styles.grow}`}
            defaultValue={filter.q ?? ''}
            maxLength={MAX_SEARCH_LENGTH}
            placeholder='Search inputs and outputs: words, "a phrase", -exclude'
            aria-label="Search source runs"
            data-testid="what-if-search"
          />
          <button type="submit" className="button">
            Search
          </button>
        </form>
        <form className={styles.row} onSubmit={addMeta} aria-label="Filter by metadata">
          {Object.entries(meta).map(([key, value]) => (
            <span key={key} className={styles.chip} data-testid={`what-if-meta-${key}`}>
              <span className={styles.chipText}>
                {key}={value}
              </span>
              <button
                type="button"
                className={styles.chipRemove}
                aria-label={`Remove filter ${key}`}
                onClick={() => onChange({ ...filter, meta: Object.fromEntries(Object.entries(meta).filter(([k]) => k !== key)) })}
              >
                ×
              </button>
            </span>
          ))}
          <input
            name="pair"
            className={styles.input}
            placeholder="metadata key=value, Enter"
            aria-label="Metadata filter (key=value)"
            data-testid="what-if-meta-input"
          />
          {metaProblem ? <span className={styles.fieldError}>{metaProblem}</span> : null}
        </form>
      </div>
    </div>
  );
}

interface PickerProps {
  /** The workflow's runs matching the filter: counts, and the newest MAX_WHAT_IF_RUNS. */
  page: RunListPage | undefined;
  loading: boolean;
  error: string | null;
  status: RunStatusName | undefined;
  by: SourcesBy;
  onBy: (by: SourcesBy) => void;
  picked: ReadonlySet<string>;
  onPicked: (picked: Set<string>) => void;
  now: number;
}

/** How many runs match (capped at MAX_WHAT_IF_RUNS), and "all matching" or a checklist to pick them by hand. */
export function SourcePicker({ page, loading, error, status, by, onBy, picked, onPicked, now }: PickerProps) {
  const match = page ? matchingCount(page, status) : null;
  const tooMany = match !== null && (match.atLeast || match.count > MAX_WHAT_IF_RUNS);
  const items = page?.items ?? [];
  const shownIds = new Set(items.map((r) => r.id));
  const hiddenPicks = [...picked].filter((id) => !shownIds.has(id)).length;
  const toggle = (id: string) => {
    const next = new Set(picked);
    if (!next.delete(id)) next.add(id);
    onPicked(next);
  };
  return (
    <div className={styles.stack}>
      <div className={styles.row}>
        {error ? (
          <span className={styles.fieldError} role="alert">
            Could not count the runs: {error}
          </span>
        ) : (
          <span className={styles.count} data-testid="what-if-match-count" data-count={match?.count} aria-live="polite">
            {match ? matchText(match) : 'Counting…'}
            {loading && match ? ' …' : ''}
          </span>
        )}
      </div>
      {tooMany ? (
        <p className={styles.tooMany} data-testid="what-if-too-many">
          More than {MAX_WHAT_IF_RUNS} runs match: a what-if takes at most {MAX_WHAT_IF_RUNS}. Narrow the filter, or pick by hand (the
          newest {MAX_WHAT_IF_RUNS} are listed).
        </p>
      ) : null}
      <div className={styles.row} role="radiogroup" aria-label="Which runs">
        <label className={styles.row}>
          <input type="radio" name="what-if-by" checked={by === 'filter'} data-testid="what-if-by-filter" onChange={() => onBy('filter')} />
          All matching runs
        </label>
        <label className={styles.row}>
          <input type="radio" name="what-if-by" checked={by === 'hand'} data-testid="what-if-by-hand" onChange={() => onBy('hand')} />
          Pick by hand
        </label>
        {by === 'hand' ? (
          <>
            <span data-testid="what-if-picked-count">
              {picked.size} picked{hiddenPicks ? ` (${hiddenPicks} not in the list below)` : ''}
            </span>
            <button
              type="button"
              className="link-button"
              data-testid="what-if-pick-all"
              onClick={() => onPicked(new Set([...picked, ...items.map((r) => r.id)].slice(0, MAX_WHAT_IF_RUNS)))}
            >
              Pick all listed
            </button>
            <button type="button" className="link-button" disabled={picked.size === 0} onClick={() => onPicked(new Set())}>
              Clear
            </button>
          </>
        ) : null}
      </div>
      {by === 'hand' ? (
        items.length === 0 ? (
          <p className="muted small">{loading ? 'Loading runs…' : 'No run of this workflow matches the filter.'}</p>
        ) : (
          <ul className={styles.pickList} data-testid="what-if-pick-list">
            {items.map((run) => (
              <li key={run.id}>
                <label className={styles.pickItem} data-testid={`what-if-pick-${run.id}`}>
                  <input
                    type="checkbox"
                    checked={picked.has(run.id)}
                    onChange={() => toggle(run.id)}
                    disabled={!picked.has(run.id) && picked.size >= MAX_WHAT_IF_RUNS}
                  />
                  <span className="mono">{shortId(run.id)}</span>
                  <span className={`badge status-${run.status.toLowerCase()}`}>{statusLabel(run.status)}</span>
                  <time dateTime={run.createdAt.toISOString()} suppressHydrationWarning>
                    {formatRelative(run.createdAt, now)}
                  </time>
                  {run.metadata.slice(0, 2).map(([k, v]) => (
                    <span key={k} className={styles.metaChip}>
                      {k}={v}
                    </span>
                  ))}
                  <span className={styles.preview}>{run.inputPreview ?? ''}</span>
                </label>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}
