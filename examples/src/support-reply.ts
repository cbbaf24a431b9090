import { Whetstone } from '@whetstone/sdk';
import { fakeLlm } from './fake-llm.js';

export interface Ticket {
  customerId: string;
  question: string;
}

/** Builds the demo's support DAG: classify → draft → review, with lookup-customer feeding draft too. */
export function supportReply(ws: Whetstone) {
  const wf = ws.workflow<Ticket>({ name: 'support-reply', description: 'Draft and review a reply to a support ticket' });

  const classify = wf.task({
    name: 'classify',
    fn: async (input, ctx) => {
      const category = /refund|charge|invoice/i.test(input.question) ? 'billing' : 'general';
      ctx.log(`classified ticket from ${input.customerId} as ${category}`);
      return { category };
    },
  });

  const lookup = wf.task({
    name: 'lookup-customer',
    fn: async (input) => ({ plan: input.customerId.endsWith('7') ? 'enterprise' : 'starter' }),
  });

  const draft = wf.task({
    name: 'draft',
    parents: [classify, lookup],
    fn: async (input, ctx) => {
      const { category } = ctx.parentOutput(classify);
      const { plan } = ctx.parentOutput(lookup);
      const system = 'You are a concise support agent.';
      const text = await fakeLlm(system, input.question, 0.2);
      // What a real OpenAI response's `usage` would say; the dashboard prices it from the model.
      ctx.usage({
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputTokens: roughTokens(system + input.question),
        outputTokens: roughTokens(text),
      });
      ctx.log(`drafted ${text.length} characters for a ${plan} ${category} ticket`);
      return { text, category, plan };
    },
  });

  wf.task({
    name: 'review',
    parents: [draft],
    fn: async (_input, ctx) => {
      const { text } = ctx.parentOutput(draft);
      const approved = text.length < 400;
      ctx.log(approved ? 'approved' : 'too long, needs a human', approved ? 'INFO' : 'WARN');
      return { approved, text };
    },
  });

  return wf;
}

/** About 4 characters per token for English text (OpenAI's rule of thumb), as the fake LLM has no tokenizer. */
function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
