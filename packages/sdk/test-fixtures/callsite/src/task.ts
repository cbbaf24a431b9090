// A task as a user writes it, compiled to ../compiled/task.js with a source map (see tsconfig.json).
interface PlaygroundContext {
  playground<T>(name: string, defaultValue: T): T;
}

export function temperature(ctx: PlaygroundContext): number {
  return ctx.playground('temperature', 0.7);
}
