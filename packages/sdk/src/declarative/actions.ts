import type { Context } from '../context/context.js';

/**
 * What a declarative step's `action: "integration:action"` runs: it receives the step's `with`
 * values (templates filled in) and the task's context; its return value is the step's output.
 */
export type ActionFn<I = Record<string, any>, R = unknown> = (input: I, ctx: Context<any>) => R | Promise<R>;

/** `integration:action`, each part like a task name (letters, digits, "-", "_"). */
export const ACTION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}:[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const ACTION_FORMAT = 'must be "integration:action" (letters, digits, "-" and "_" on each side of one ":"), e.g. "echo:echo"';

/** Actions by name, as a worker's registerAction() collects them. */
export type ActionMap = ReadonlyMap<string, ActionFn<any>>;

export function addAction(actions: Map<string, ActionFn<any>>, name: string, fn: ActionFn<any>): void {
  if (typeof name !== 'string' || !ACTION_PATTERN.test(name)) {
    throw new Error(`registerAction(): invalid action name ${JSON.stringify(name)}: it ${ACTION_FORMAT}`);
  }
  if (typeof fn !== 'function') throw new Error(`registerAction('${name}'): the action must be a function (input, ctx) => output`);
  if (actions.has(name)) throw new Error(`registerAction(): action '${name}' is already registered`);
  actions.set(name, fn);
}

/** Accepts the actions as a plain object or a Map. */
export function toActionMap(actions: Readonly<Record<string, ActionFn<any>>> | ActionMap | undefined): ActionMap {
  if (!actions) return new Map();
  if (actions instanceof Map) return actions;
  const map = new Map<string, ActionFn<any>>();
  for (const [name, fn] of Object.entries(actions)) addAction(map, name, fn);
  return map;
}
