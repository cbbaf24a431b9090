import { JsonView } from '@/app/_ui/json-view';
import styles from './task-variables.module.css';
import type { TaskData } from './types';

type Variable = TaskData['variables'][number];

/** `src/draft.ts:12:7`: where `ctx.playground(…)` is called, as the worker reported it. */
export function callsiteText(callsite: Variable['callsite']): string | null {
  if (!callsite) return null;
  return [callsite.file, callsite.line, callsite.column].filter((part) => part !== null && part !== undefined).join(':');
}

/**
 * The `ctx.playground(name, default)` values the task's last attempt used: each value, whether it
 * came from a playground override (then the default in code too) and the call site.
 */
export function TaskVariables({ taskName, variables }: { taskName: string; variables: Variable[] }) {
  if (variables.length === 0) return null;
  const attempt = variables[0]!.attempt;
  return (
    <section className={styles.variables} data-testid={`variables-${taskName}`} aria-label={`Playground variables of ${taskName}`}>
      <h4>
        Playground variables <span className="muted small">(attempt {attempt})</span>
      </h4>
      <ul className={styles.list}>
        {variables.map((v) => {
          const site = callsiteText(v.callsite);
          return (
            <li
              key={v.name}
              className={styles.variable}
              data-testid={`variable-${taskName}-${v.name}`}
              data-overridden={v.overridden ? 'true' : undefined}
            >
              <div className={styles.head}>
                <code className={styles.name}>{v.name}</code>
                {v.overridden ? (
                  <span className={styles.overridden} data-testid="variable-overridden">
                    overridden
                  </span>
                ) : (
                  <span className="muted small">default</span>
                )}
                {site ? (
                  <span
                    className={`${styles.callsite} mono small`}
                    data-testid="variable-callsite"
                    title="Where ctx.playground(…) is called"
                  >
                    {site}
                  </span>
                ) : null}
              </div>
              <JsonView value={v.value} testId="variable-value" />
              {v.overridden ? (
                <div className={styles.default}>
                  <span className="muted small">Default in code</span>
                  <JsonView value={v.defaultValue} testId="variable-default" />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
