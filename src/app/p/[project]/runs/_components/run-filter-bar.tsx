'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { TIME_PRESET_NAMES, TRIGGER_SOURCES, type TriggerFilter } from '@/server/runs/view';
import { MAX_SEARCH_LENGTH } from '@/server/shared/limits';
import { RUN_STATUSES, type RunStatusName } from '@/server/shared/statuses';
import { normalizeTime, parseMetadataPair, withoutTimeRange, type RunFilters } from './run-filters';
import styles from './runs-list.module.css';
import { statusLabel } from '@/app/_ui/status-badge';
import { fieldText, toLocalInput } from '@/app/_ui/form-fields';

export interface StatusCounts {
  counts: Record<RunStatusName, number>;
  /** Statuses whose count stopped at the cap ("10,000+"). */
  capped: RunStatusName[];
  total: number;
}

const countText = (n: number, more: boolean) => `${n.toLocaleString('en')}${more ? '+' : ''}`;

function SearchBox({ value, onSearch }: { value: string | undefined; onSearch: (q: string | undefined) => void }) {
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSearch(fieldText(e.currentTarget, 'q') || undefined);
  };
  return (
    <form className={styles.search} role="search" onSubmit={submit}>
      {/* Keyed by the URL's value: back/forward replaces what is shown. */}
      <input
        key={value ?? ''}
        name="q"
        className={styles.input}
        type="search"
        defaultValue={value ?? ''}
        maxLength={MAX_SEARCH_LENGTH}
        placeholder='Search inputs and outputs: words, "a phrase", -exclude'
        aria-label="Search runs"
        data-testid="runs-search"
      />
      <button type="submit" className="button">
        Search
      </button>
    </form>
  );
}

function MetadataFilter({ meta, onChange }: { meta: Record<string, string>; onChange: (meta: Record<string, string>) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const pair = parseMetadataPair(fieldText(e.currentTarget, 'pair'));
    if (!pair) return setProblem('Use key=value, e.g. customerId=c42');
    setProblem(null);
    e.currentTarget.reset();
    onChange({ ...meta, [pair[0]]: pair[1] });
  };
  return (
    <form className={styles.filterRow} onSubmit={add} aria-label="Filter by metadata">
      {Object.entries(meta).map(([key, value]) => (
        <span key={key} className={styles.chip} data-testid={`meta-filter-${key}`}>
          <span className={styles.chipText}>
            {key}={value}
          </span>
          <button
            type="button"
            className={styles.chipRemove}
            aria-label={`Remove filter ${key}`}
            onClick={() => onChange(Object.fromEntries(Object.entries(meta).filter(([k]) => k !== key)))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        name="pair"
        className={`${styles.input} ${styles.metaInput}`}
        placeholder="metadata key=value"
        aria-label="Metadata filter (key=value)"
        data-testid="meta-input"
      />
      {problem ? <span className="error-text small">{problem}</span> : null}
    </form>
  );
}

function TimeRange({ filters, onChange }: { filters: RunFilters; onChange: (f: RunFilters) => void }) {
  const [custom, setCustom] = useState(Boolean(filters.from || filters.to));
  const rest = withoutTimeRange(filters);
  const anyTime = !filters.since && !filters.from && !filters.to;
  const setBound = (bound: 'from' | 'to', local: string) =>
    onChange({ ...rest, from: filters.from, to: filters.to, [bound]: normalizeTime(local) });
  return (
    <div className={styles.filterRow}>
      <div className={styles.presets} role="group" aria-label="Time range">
        <button
          type="button"
          className="filter"
          aria-pressed={anyTime && !custom}
          data-testid="since-all"
          onClick={() => (setCustom(false), onChange(rest))}
        >
          Any time
        </button>
        {TIME_PRESET_NAMES.map((p) => (
          <button
            key={p}
            type="button"
            className="filter"
            aria-pressed={filters.since === p}
            data-testid={`since-${p}`}
            onClick={() => (setCustom(false), onChange({ ...rest, since: p }))}
          >
            Last {p}
          </button>
        ))}
        <button
          type="button"
          className="filter"
          aria-pressed={custom || Boolean(filters.from || filters.to)}
          onClick={() => setCustom(true)}
        >
          Custom…
        </button>
      </div>
      {custom || filters.from || filters.to ? (
        <span className={styles.custom}>
          <label>
            From{' '}
            <input
              className={styles.input}
              type="datetime-local"
              value={toLocalInput(filters.from)}
              data-testid="range-from"
              onChange={(e) => setBound('from', e.target.value)}
            />
          </label>
          <label>
            to{' '}
            <input
              className={styles.input}
              type="datetime-local"
              value={toLocalInput(filters.to)}
              data-testid="range-to"
              onChange={(e) => setBound('to', e.target.value)}
            />
          </label>
        </span>
      ) : null}
    </div>
  );
}

const TRIGGER_LABELS: Record<(typeof TRIGGER_SOURCES)[number], string> = {
  API: 'API / SDK',
  DASHBOARD: 'Dashboard',
  EVENT: 'Event',
  CRON: 'Cron',
  SCHEDULE: 'Schedule',
  REPLAY: 'Replay',
  PLAYGROUND: 'Playground',
};

/** What started the runs. The default leaves playground runs (experiments) out; "" in the select is that default. */
function TriggerSelect({ value, onChange }: { value: TriggerFilter | undefined; onChange: (trigger: TriggerFilter | undefined) => void }) {
  return (
    <label className="workflow-filter">
      <span className="muted">Trigger</span>
      <select
        value={value ?? ''}
        data-testid="trigger-filter"
        onChange={(e) => onChange((e.target.value || undefined) as TriggerFilter | undefined)}
      >
        <option value="">All but playground</option>
        <option value="ALL">All, with playground runs</option>
        {TRIGGER_SOURCES.map((t) => (
          <option key={t} value={t}>
            {TRIGGER_LABELS[t]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Search, time range, status (with counts), workflow, trigger and metadata filters of the runs list. */
export function RunFilterBar(props: {
  filters: RunFilters;
  onChange: (filters: RunFilters) => void;
  counts: StatusCounts | undefined;
  workflows: string[];
}) {
  const { filters, onChange, counts } = props;
  // Set once React has hydrated the bar: tests (and scripts) wait for it before typing.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return (
    <div className={styles.filterBar} data-testid="run-filters" data-ready={ready}>
      <div className={styles.filterRow}>
        <SearchBox value={filters.q} onSearch={(q) => onChange({ ...filters, q })} />
        {props.workflows.length > 1 || filters.workflow ? (
          <label className="workflow-filter">
            <span className="muted">Workflow</span>
            <select
              value={filters.workflow ?? ''}
              data-testid="workflow-filter"
              onChange={(e) => onChange({ ...filters, workflow: e.target.value || undefined })}
            >
              <option value="">All workflows</option>
              {props.workflows.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <TriggerSelect value={filters.trigger} onChange={(trigger) => onChange({ ...filters, trigger })} />
      </div>
      <TimeRange filters={filters} onChange={onChange} />
      <div className={styles.filterRow}>
        <div className="filters" role="group" aria-label="Filter by status">
          <button
            type="button"
            className="filter"
            aria-pressed={!filters.status}
            data-testid="filter-ALL"
            onClick={() => onChange({ ...filters, status: undefined })}
          >
            All <span className="count">{counts ? countText(counts.total, counts.capped.length > 0) : '…'}</span>
          </button>
          {RUN_STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className="filter"
              aria-pressed={filters.status === s}
              data-testid={`filter-${s}`}
              onClick={() => onChange({ ...filters, status: s })}
            >
              <span className={`dot status-${s.toLowerCase()}`} aria-hidden />
              {statusLabel(s)} <span className="count">{counts ? countText(counts.counts[s], counts.capped.includes(s)) : '…'}</span>
            </button>
          ))}
        </div>
        <MetadataFilter meta={filters.meta ?? {}} onChange={(meta) => onChange({ ...filters, meta })} />
      </div>
    </div>
  );
}
