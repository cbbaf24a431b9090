import type { Context, Whetstone } from '@whetstone/sdk';
import { chat } from './llm/chat.js';
import { scoreTone } from './llm/tone-score.js';
import { DRAFT_REPLY_SYSTEM_PROMPT } from './prompts.js';

/** The demo workflow worth tuning in the playground: classify → draft-reply → tone-check. See docs/demo-llm.md. */

export interface SupportTicket {
  customerId: string;
  subject: string;
  body: string;
}

export interface Classification {
  category: string;
  urgency: 'low' | 'normal' | 'high';
}

export interface DraftReply {
  text: string;
  model: string;
  provider: 'openai-compatible' | 'offline';
  category: string;
  urgency: Classification['urgency'];
}

export interface ToneCheck {
  score: number;
  pass: boolean;
  threshold: number;
  polite: string[];
  harsh: string[];
}

/** What the tasks use of the SDK's context, so tests can pass a fake. */
export type TriageContext = Pick<Context<SupportTicket>, 'log' | 'usage' | 'playground' | 'parentOutput' | 'abortSignal'>;

/** The demo's ticket-triage runs: worth opening in the playground. */
export const demoTickets: SupportTicket[] = [
  {
    customerId: 'c42',
    subject: 'Charged twice for order #A-10423',
    body: 'Hi, my card was charged twice for order #A-10423 this month (2 × $49). Can you please refund the duplicate charge?',
  },
  {
    customerId: 'c17',
    subject: 'How do I invite a teammate?',
    body: 'Where can I add a colleague to my workspace so they can see our runs?',
  },
  {
    customerId: 'c7',
    subject: 'REFUND NOW',
    body: 'This is ridiculous!! Your product broke our launch. I want my money back immediately or I call my lawyer.',
  },
];

const POLICY = { retries: 2, executionTimeout: '45s' } as const;

export function ticketTriage(ws: Whetstone) {
  const wf = ws.workflow<SupportTicket>({
    name: 'ticket-triage',
    description: 'Classify a support ticket, draft a reply with an LLM and check its tone',
  });
  const classify = wf.task({ name: 'classify', ...POLICY, fn: classifyTicket });
  const draft = wf.task({ name: 'draft-reply', parents: [classify], ...POLICY, fn: draftReply });
  wf.task({ name: 'tone-check', parents: [draft], ...POLICY, fn: toneCheck });
  return wf;
}

export async function classifyTicket(input: SupportTicket, ctx: TriageContext): Promise<Classification> {
  const system = String(
    ctx.playground(
      'classify.system_prompt',
      'Classify the support ticket. Categories: billing, refund, how-to, bug, account, other. Urgency is high when the customer is angry or was charged wrongly. Answer with JSON {"category", "urgency"}.',
    ),
  );
  const response = await chat({ model: 'offline-small', system, user: ticketText(input), temperature: 0 }, { signal: ctx.abortSignal });
  ctx.usage({ model: response.model, provider: response.provider, inputTokens: response.inputTokens, outputTokens: response.outputTokens });
  const result = parseClassification(response.text);
  ctx.log(`classified ticket from ${input.customerId} as ${result.category} (urgency ${result.urgency}) via ${response.provider}`);
  return result;
}

export async function draftReply(input: SupportTicket, ctx: TriageContext): Promise<DraftReply> {
  const { category, urgency } = ctx.parentOutput<Classification>('classify');
  const system = String(ctx.playground('system_prompt', DRAFT_REPLY_SYSTEM_PROMPT));
  const temperature = clamp(Number(ctx.playground('temperature', 0.7)), 0, 2);
  const model = String(ctx.playground('model', 'offline-small'));
  const user = `${ticketText(input)}\n\nCategory: ${category}. Urgency: ${urgency}.`;
  const response = await chat({ model, system, user, temperature }, { signal: ctx.abortSignal });
  ctx.usage({ model: response.model, provider: response.provider, inputTokens: response.inputTokens, outputTokens: response.outputTokens });
  ctx.log(`drafted ${response.text.length} characters with ${response.model} (${response.provider}) at temperature ${temperature}`);
  return { text: response.text, model: response.model, provider: response.provider, category, urgency };
}

export async function toneCheck(_input: SupportTicket, ctx: TriageContext): Promise<ToneCheck> {
  const { text } = ctx.parentOutput<DraftReply>('draft-reply');
  const threshold = Number(ctx.playground('threshold', 0.6));
  const tone = scoreTone(text);
  const pass = tone.score >= threshold;
  ctx.log(`tone score ${tone.score} vs threshold ${threshold}: ${pass ? 'pass' : 'needs a human'}`, pass ? 'INFO' : 'WARN');
  return { score: tone.score, pass, threshold, polite: tone.polite, harsh: tone.harsh };
}

function ticketText(input: SupportTicket): string {
  return `Subject: ${input.subject}\n\n${input.body}`;
}

/** The first JSON object in the answer (models wrap it in prose or code fences); a safe default otherwise. */
export function parseClassification(text: string): Classification {
  const json = /\{[^{}]*\}/.exec(text)?.[0];
  let parsed: { category?: unknown; urgency?: unknown } = {};
  try {
    parsed = json ? (JSON.parse(json) as typeof parsed) : {};
  } catch {
    // falls through to the defaults
  }
  const category = typeof parsed.category === 'string' && parsed.category.trim() ? parsed.category.trim().toLowerCase() : 'other';
  const urgency = parsed.urgency === 'low' || parsed.urgency === 'high' ? parsed.urgency : 'normal';
  return { category, urgency };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
