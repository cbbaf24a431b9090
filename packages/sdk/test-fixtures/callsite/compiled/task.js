export function temperature(ctx) {
    return ctx.playground('temperature', 0.7);
}
//# sourceMappingURL=task.js.map