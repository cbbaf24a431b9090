import type { Whetstone } from '@whetstone/sdk';

/** The smallest workflow: one task. */
export function lowercase(ws: Whetstone) {
  return ws.task({
    name: 'lowercase',
    fn: async (input: { message: string }, ctx) => {
      ctx.log(`lowercasing ${input.message.length} characters`);
      return { lower: input.message.toLowerCase() };
    },
  });
}
