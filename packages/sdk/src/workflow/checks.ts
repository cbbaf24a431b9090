// Output checks declared next to a task (`checks: { maxLength: 600, mustMatch: /thank/i }`): the
// worker evaluates them on every successful attempt's output and reports the results with it; they
// never fail the task. Built-in checks are named as the dashboard names the same rules typed in a
// what-if report, so the report totals them together.
import { MAX_DECLARED_CHECKS, type DeclaredCheckResult } from '../contract.js';

export type CheckFn<R = unknown> = (output: R) => boolean | Promise<boolean>;

export interface OutputChecks<R = unknown> {
  /** The output (a string as it is, anything else as JSON) is at most this many characters. */
  maxLength?: number;
  /** The output text matches this expression. */
  mustMatch?: RegExp;
  /** The output text does not match this expression. */
  mustNotMatch?: RegExp;
  /** Your own checks: one function (named 'custom') or several, named by their keys. A check that throws fails with its message. */
  custom?: CheckFn<R> | Record<string, CheckFn<R>>;
}

/** Outputs longer than this are matched on their first this-many characters (keeps a regex cheap), as the dashboard does. */
const MAX_CHECKED_CHARS = 100_000;
/** A custom check still running after this long fails (the task's result is not held up longer). */
export const CHECK_TIMEOUT_MS = 10_000;
const MAX_NAME_CHARS = 200;
const MAX_MESSAGE_CHARS = 1_000;

interface NamedCheck {
  name: string;
  run: (output: unknown, text: string) => { passed: boolean; message?: string } | Promise<{ passed: boolean; message?: string }>;
}

/** The checks of one task, validated when the task is defined; throws naming the task on bad options. */
export class DeclaredChecks {
  private constructor(private readonly checks: readonly NamedCheck[]) {}

  static of(what: string, options: OutputChecks<any> | undefined): DeclaredChecks | undefined {
    if (options === undefined) return undefined;
    if (!options || typeof options !== 'object')
      throw new Error(`${what}: checks must be an object like { maxLength: 600, mustMatch: /thank/i }`);
    const known = new Set(['maxLength', 'mustMatch', 'mustNotMatch', 'custom']);
    const unknown = Object.keys(options).find((key) => !known.has(key));
    if (unknown) throw new Error(`${what}: checks.${unknown} is not a check (use maxLength, mustMatch, mustNotMatch or custom)`);
    const checks: NamedCheck[] = [];
    const { maxLength, custom } = options;
    if (maxLength !== undefined) {
      if (!Number.isInteger(maxLength) || maxLength < 1)
        throw new Error(`${what}: checks.maxLength must be a positive integer, got ${JSON.stringify(maxLength)}`);
      checks.push({
        name: `length ≤ ${maxLength}`,
        run: (output) => {
          const length = typeof output === 'string' ? output.length : jsonText(output).length;
          return length <= maxLength ? { passed: true } : { passed: false, message: `${length} characters` };
        },
      });
    }
    for (const [key, expected] of [
      ['mustMatch', true],
      ['mustNotMatch', false],
    ] as const) {
      const pattern = options[key];
      if (pattern === undefined) continue;
      if (!(pattern instanceof RegExp)) throw new Error(`${what}: checks.${key} must be a regular expression like /thank/i`);
      // A global or sticky expression remembers where it stopped; a copy without those flags does not.
      const regex = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
      checks.push({
        name: `${expected ? 'matches' : 'does not match'} ${String(pattern)}`,
        run: (_output, text) => ({ passed: regex.test(text) === expected }),
      });
    }
    if (custom !== undefined) {
      const entries: [string, unknown][] =
        typeof custom === 'function' ? [['custom', custom]] : custom && typeof custom === 'object' ? Object.entries(custom) : [];
      if (!entries.length) throw new Error(`${what}: checks.custom must be a function or an object of named functions`);
      for (const [name, fn] of entries) {
        if (typeof fn !== 'function') throw new Error(`${what}: checks.custom.${name} must be a function (output) => boolean`);
        if (!name.trim() || name.length > MAX_NAME_CHARS)
          throw new Error(`${what}: a custom check's name must be 1-${MAX_NAME_CHARS} characters, got ${JSON.stringify(name)}`);
        checks.push({ name, run: (output) => runCustom(fn as CheckFn, output) });
      }
    }
    const names = checks.map((c) => c.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new Error(`${what}: two checks are named '${dup}'`);
    if (checks.length > MAX_DECLARED_CHECKS) throw new Error(`${what}: at most ${MAX_DECLARED_CHECKS} checks, got ${checks.length}`);
    return checks.length ? new DeclaredChecks(checks) : undefined;
  }

  get names(): string[] {
    return this.checks.map((c) => c.name);
  }

  /** Every check on the output as stored (JSON); never throws: a check that throws or times out has failed, with the reason. */
  async evaluate(output: unknown): Promise<DeclaredCheckResult[]> {
    const text = outputText(output);
    return Promise.all(
      this.checks.map(async ({ name, run }): Promise<DeclaredCheckResult> => {
        try {
          const { passed, message } = await run(output, text);
          return message === undefined ? { name, passed } : { name, passed, message: clip(message) };
        } catch (err) {
          return { name, passed: false, message: clip(err instanceof Error ? `${err.name}: ${err.message}` : `threw ${String(err)}`) };
        }
      }),
    );
  }
}

async function runCustom(fn: CheckFn, output: unknown): Promise<{ passed: boolean; message?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the check did not answer within ${CHECK_TIMEOUT_MS / 1000}s`)), CHECK_TIMEOUT_MS);
    timer.unref?.();
  });
  try {
    const result: unknown = await Promise.race([Promise.resolve().then(() => fn(output)), timeout]);
    if (typeof result !== 'boolean')
      return { passed: false, message: `returned ${result === null ? 'null' : typeof result}, not a boolean` };
    return { passed: result };
  } finally {
    clearTimeout(timer);
  }
}

function jsonText(output: unknown): string {
  return JSON.stringify(output ?? null) ?? 'null';
}

/** The text a check reads: a string output as it is, anything else as JSON (as the dashboard reads it). */
export function outputText(output: unknown): string {
  return (typeof output === 'string' ? output : jsonText(output)).slice(0, MAX_CHECKED_CHARS);
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
}
