'use client';

import { MAX_RULE_PATTERN_LENGTH, MAX_WHAT_IF_RULES } from '@/server/shared/limits';
import { RULE_KINDS, type RuleDraft, type RuleKind } from './what-if-request';
import styles from './what-if.module.css';

interface Props {
  rules: RuleDraft[];
  errors: Record<number, string>;
  onChange: (rules: RuleDraft[]) => void;
}

/** Optional checks on every row's old and new output: max length, must (not) match a regular expression. */
export function RulesEditor({ rules, errors, onChange }: Props) {
  const set = (i: number, patch: Partial<RuleDraft>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className={styles.block} data-testid="what-if-rules">
      <h3>
        Checks <span className="muted small">optional: evaluated on each row’s old and new output, and totalled</span>
      </h3>
      {rules.map((rule, i) => (
        <div key={i} className={styles.rule} data-testid={`what-if-rule-${i}`}>
          <select
            className={styles.input}
            value={rule.kind}
            aria-label={`Check ${i + 1} kind`}
            data-testid="rule-kind"
            onChange={(e) => set(i, { kind: e.target.value as RuleKind })}
          >
            {RULE_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
          {rule.kind === 'maxLength' ? (
            <input
              className={`${styles.input} ${styles.narrow}`}
              inputMode="numeric"
              value={rule.text}
              placeholder="characters"
              aria-label={`Check ${i + 1}: maximum length in characters`}
              data-testid="rule-value"
              onChange={(e) => set(i, { text: e.target.value })}
            />
          ) : (
            <>
              <span className="mono">/</span>
              <input
                className={`${styles.input} ${styles.grow} mono`}
                value={rule.text}
                maxLength={MAX_RULE_PATTERN_LENGTH}
                placeholder="regular expression"
                aria-label={`Check ${i + 1}: regular expression`}
                data-testid="rule-pattern"
                onChange={(e) => set(i, { text: e.target.value })}
              />
              <span className="mono">/</span>
              <input
                className={`${styles.input} mono`}
                style={{ width: 56 }}
                value={rule.flags}
                maxLength={4}
                placeholder="flags"
                aria-label={`Check ${i + 1}: flags (i, m, s, u)`}
                data-testid="rule-flags"
                onChange={(e) => set(i, { flags: e.target.value })}
              />
            </>
          )}
          <button
            type="button"
            className="link-button"
            aria-label={`Remove check ${i + 1}`}
            onClick={() => onChange(rules.filter((_, j) => j !== i))}
          >
            Remove
          </button>
          {errors[i] ? (
            <span className={styles.fieldError} role="alert" data-testid="rule-error">
              {errors[i]}
            </span>
          ) : null}
        </div>
      ))}
      <div>
        <button
          type="button"
          className="button"
          data-testid="what-if-add-rule"
          disabled={rules.length >= MAX_WHAT_IF_RULES}
          onClick={() => onChange([...rules, { kind: 'mustMatch', text: '', flags: '' }])}
        >
          Add check
        </button>
      </div>
    </div>
  );
}
