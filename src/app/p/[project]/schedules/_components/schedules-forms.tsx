'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeCronProblem, nextCronTimes } from '@whetstone/sdk/contract';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTRPC } from '@/app/_trpc/providers';
import { localInputToIso, toLocalInput } from './schedules-time';
import { AbsoluteTime } from '@/app/_ui/time';
import styles from './schedules-view.module.css';

/** The input textarea's JSON, or why it is not JSON. Empty means `{}`. */
function parseInput(text: string): { value: unknown } | { error: string } {
  if (!text.trim()) return { value: {} };
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: `Input is not valid JSON: ${(err as Error).message}` };
  }
}

function useInvalidateSchedules(project: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.schedules.list.queryKey({ project }) });
}

function WorkflowSelect(props: { id: string; workflows: readonly string[]; value: string; onChange: (v: string) => void; testId: string }) {
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId} required>
      <option value="" disabled>
        Choose a workflow…
      </option>
      {props.workflows.map((w) => (
        <option key={w} value={w}>
          {w}
        </option>
      ))}
    </select>
  );
}

function InputField(props: { id: string; value: string; onChange: (v: string) => void; error: string | null; testId: string }) {
  return (
    <label className={styles.field} htmlFor={props.id}>
      <span>Input (JSON)</span>
      <textarea
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        spellCheck={false}
        data-testid={props.testId}
      />
      {props.error ? (
        <span className={styles.fieldError} role="alert">
          {props.error}
        </span>
      ) : null}
    </label>
  );
}

/** Creates a runtime cron; the expression is checked as you type with the SDK's own parser (UTC). */
export function CronForm({ project, workflows }: { project: string; workflows: readonly string[] }) {
  const trpc = useTRPC();
  const id = useId();
  const invalidate = useInvalidateSchedules(project);
  const [workflow, setWorkflow] = useState('');
  const [name, setName] = useState('');
  const [expression, setExpression] = useState('');
  const [input, setInput] = useState('{}');
  const [touched, setTouched] = useState(false);
  const create = useMutation(
    trpc.schedules.createCron.mutationOptions({
      onSuccess: () => {
        setName('');
        setExpression('');
        setTouched(false);
        return invalidate();
      },
    }),
  );

  const problem = expression.trim() ? describeCronProblem(expression.trim()) : 'Enter a cron expression';
  const next = useMemo(() => (problem ? [] : nextCronTimes(expression.trim(), 3)), [problem, expression]);
  const parsed = parseInput(input);
  const inputError = 'error' in parsed ? parsed.error : null;
  const showProblem = touched && problem;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem || inputError || !workflow || !name.trim()) return;
    create.mutate({ project, workflow, name: name.trim(), expression: expression.trim(), input: 'value' in parsed ? parsed.value : {} });
  };

  return (
    <form className={styles.form} onSubmit={submit} data-testid="cron-form" noValidate>
      <h2>New cron</h2>
      <div className={styles.row}>
        <label className={styles.field} htmlFor={`${id}-wf`}>
          <span>Workflow</span>
          <WorkflowSelect id={`${id}-wf`} workflows={workflows} value={workflow} onChange={setWorkflow} testId="cron-workflow" />
        </label>
        <label className={styles.field} htmlFor={`${id}-name`}>
          <span>Name</span>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="nightly-digest"
            maxLength={100}
            required
            data-testid="cron-name"
          />
        </label>
      </div>
      <label className={styles.field} htmlFor={`${id}-expr`}>
        <span>Expression (UTC)</span>
        <input
          id={`${id}-expr`}
          className="mono"
          value={expression}
          onChange={(e) => setExpression(e.target.value)}
          onBlur={() => setTouched(Boolean(expression))}
          placeholder="*/15 * * * *"
          aria-invalid={showProblem ? true : undefined}
          aria-describedby={`${id}-expr-help`}
          data-testid="cron-expression"
        />
        {showProblem ? (
          <span className={styles.fieldError} id={`${id}-expr-help`} role="alert" data-testid="cron-expression-error">
            {problem}
          </span>
        ) : next.length ? (
          <span className={styles.hint} id={`${id}-expr-help`} data-testid="cron-expression-next">
            next:{' '}
            {next.map((d, i) => (
              <span key={d.getTime()}>
                {i ? ', ' : ''}
                <AbsoluteTime date={d} />
              </span>
            ))}
          </span>
        ) : (
          <span className={styles.hint} id={`${id}-expr-help`}>
            minute hour day-of-month month day-of-week, or 6 fields with seconds first
          </span>
        )}
      </label>
      <InputField id={`${id}-input`} value={input} onChange={setInput} error={inputError} testId="cron-input" />
      {create.isError ? (
        <div className="error-box" role="alert" data-testid="cron-form-error">
          {create.error.message}
        </div>
      ) : null}
      <button type="submit" className={styles.submit} disabled={create.isPending || workflows.length === 0} data-testid="cron-submit">
        {create.isPending ? 'Creating…' : 'Create cron'}
      </button>
      <span className={styles.hint}>A cron with the same name on the same workflow is replaced.</span>
    </form>
  );
}

/** Creates a one-off schedule: at a local date and time, or after a delay. */
export function OneOffForm({ project, workflows }: { project: string; workflows: readonly string[] }) {
  const trpc = useTRPC();
  const id = useId();
  const invalidate = useInvalidateSchedules(project);
  const [workflow, setWorkflow] = useState('');
  const [mode, setMode] = useState<'delay' | 'at'>('delay');
  const [delay, setDelay] = useState('60');
  const [at, setAt] = useState(() => toLocalInput(Date.now() + 3600_000));
  const [input, setInput] = useState('{}');
  const [whenError, setWhenError] = useState<string | null>(null);
  const create = useMutation(trpc.schedules.createOneOff.mutationOptions({ onSuccess: () => invalidate() }));
  const parsed = parseInput(input);
  const inputError = 'error' in parsed ? parsed.error : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!workflow || inputError) return;
    const value = 'value' in parsed ? parsed.value : {};
    if (mode === 'delay') {
      const seconds = Number(delay);
      if (!delay.trim() || !Number.isFinite(seconds) || seconds <= 0)
        return setWhenError('The delay must be a number of seconds greater than 0');
      setWhenError(null);
      create.mutate({ project, workflow, delaySeconds: seconds, input: value });
    } else {
      const runAt = localInputToIso(at);
      if (!runAt) return setWhenError('Pick a date and a time');
      setWhenError(null);
      create.mutate({ project, workflow, runAt, input: value });
    }
  };

  return (
    <form className={styles.form} onSubmit={submit} data-testid="oneoff-form" noValidate>
      <h2>New one-off schedule</h2>
      <label className={styles.field} htmlFor={`${id}-wf`}>
        <span>Workflow</span>
        <WorkflowSelect id={`${id}-wf`} workflows={workflows} value={workflow} onChange={setWorkflow} testId="oneoff-workflow" />
      </label>
      <div className={styles.modes} role="radiogroup" aria-label="When">
        <label>
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === 'delay'}
            onChange={() => setMode('delay')}
            data-testid="oneoff-mode-delay"
          />{' '}
          after a delay
        </label>
        <label>
          <input type="radio" name={`${id}-mode`} checked={mode === 'at'} onChange={() => setMode('at')} data-testid="oneoff-mode-at" /> at
          a date and time
        </label>
      </div>
      {mode === 'delay' ? (
        <label className={styles.field} htmlFor={`${id}-delay`}>
          <span>Delay (seconds)</span>
          <input
            id={`${id}-delay`}
            type="number"
            min={1}
            value={delay}
            onChange={(e) => setDelay(e.target.value)}
            aria-invalid={whenError ? true : undefined}
            data-testid="oneoff-delay"
          />
        </label>
      ) : (
        <label className={styles.field} htmlFor={`${id}-at`}>
          <span>Runs at (your local time)</span>
          <input
            id={`${id}-at`}
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
            aria-invalid={whenError ? true : undefined}
            data-testid="oneoff-at"
          />
        </label>
      )}
      {whenError ? (
        <span className={styles.fieldError} role="alert" data-testid="oneoff-when-error">
          {whenError}
        </span>
      ) : null}
      <InputField id={`${id}-input`} value={input} onChange={setInput} error={inputError} testId="oneoff-input" />
      {create.isError ? (
        <div className="error-box" role="alert" data-testid="oneoff-form-error">
          {create.error.message}
        </div>
      ) : null}
      <button type="submit" className={styles.submit} disabled={create.isPending || workflows.length === 0} data-testid="oneoff-submit">
        {create.isPending ? 'Scheduling…' : 'Schedule run'}
      </button>
    </form>
  );
}
