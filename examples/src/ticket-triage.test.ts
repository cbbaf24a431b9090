import { describe, expect, it } from 'vitest';
import { scoreTone } from './llm/tone-score.js';
import { OFFLINE_LABEL } from './llm/offline-model.js';
import {
  classifyTicket,
  demoTickets,
  draftReply,
  parseClassification,
  toneCheck,
  type SupportTicket,
  type TriageContext,
} from './ticket-triage.js';

/** Just enough of the SDK's context: playground overrides, parent outputs, and what the task logged and reported. */
function fakeContext(parentOutputs: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  const logs: string[] = [];
  const usage: unknown[] = [];
  const variables: Record<string, unknown> = {};
  const ctx: TriageContext = {
    abortSignal: new AbortController().signal,
    log: (message) => void logs.push(message),
    usage: (call) => void usage.push(call),
    parentOutput: ((name: string) => parentOutputs[name]) as TriageContext['parentOutput'],
    playground: ((name: string, defaultValue: unknown) =>
      (variables[name] = name in overrides ? overrides[name] : defaultValue)) as TriageContext['playground'],
  };
  return { ctx, logs, usage, variables };
}

async function triage(ticket: SupportTicket, overrides: Record<string, unknown> = {}) {
  const classify = await classifyTicket(ticket, fakeContext({}, overrides).ctx);
  const draftCtx = fakeContext({ classify }, overrides);
  const draft = await draftReply(ticket, draftCtx.ctx);
  const toneCtx = fakeContext({ 'draft-reply': draft }, overrides);
  const tone = await toneCheck(ticket, toneCtx.ctx);
  return { classify, draft, tone, draftCtx, toneCtx };
}

describe('ticket-triage tasks (offline model)', () => {
  it('classifies, drafts and passes the tone check for the three demo tickets', async () => {
    const [charge, howTo, angry] = await Promise.all(demoTickets.map((t) => triage(t)));
    expect(charge!.classify).toEqual({ category: 'billing', urgency: 'high' });
    expect(howTo!.classify).toEqual({ category: 'how-to', urgency: 'low' });
    expect(angry!.classify).toEqual({ category: 'refund', urgency: 'high' });
    expect(charge!.draft.text).toContain('order A-10423');
    expect(charge!.draft.text).toContain('Whetstone Support');
    expect(charge!.draft.text.endsWith(OFFLINE_LABEL)).toBe(true);
    for (const run of [charge!, howTo!, angry!]) expect(run.tone).toMatchObject({ pass: true, threshold: 0.6 });
  });

  it('exposes its playground variables with their defaults and reports usage from the model response', async () => {
    const { draftCtx, toneCtx, draft } = await triage(demoTickets[0]!);
    expect(draftCtx.variables).toMatchObject({ temperature: 0.7, model: 'offline-small' });
    expect(String(draftCtx.variables.system_prompt).split('\n').length).toBeGreaterThan(2);
    expect(toneCtx.variables).toEqual({ threshold: 0.6 });
    expect(draftCtx.usage).toEqual([
      { model: 'offline-small', provider: 'offline', inputTokens: expect.any(Number), outputTokens: Math.ceil(draft.text.length / 4) },
    ]);
    expect(draftCtx.logs).toHaveLength(1);
  });

  it('a firm prompt override drafts a reply that fails the tone check; a higher threshold fails a polite one', async () => {
    const firm = await triage(demoTickets[2]!, { system_prompt: 'You are a firm support agent.' });
    expect(firm.draft.text).toContain('Per our policy');
    expect(firm.tone.pass).toBe(false);
    expect(firm.toneCtx.logs[0]).toContain('needs a human');
    const strict = await triage(demoTickets[1]!, { threshold: 0.95 });
    expect(strict.tone).toMatchObject({ pass: false, threshold: 0.95 });
  });

  it('tolerates odd playground values', async () => {
    const run = await triage(demoTickets[1]!, { temperature: 'hot', model: 'offline-tiny' });
    expect(run.draft.model).toBe('offline-tiny');
    expect(run.draftCtx.logs[0]).toContain('temperature 0');
  });
});

describe('tone score', () => {
  it('rises with politeness markers and falls with harsh phrases', () => {
    expect(scoreTone('The order shipped.').score).toBe(0.5);
    expect(scoreTone('Hi! Thank you, and sorry for the trouble. Please let us know if there is anything else.')).toMatchObject({
      score: 1,
      polite: ['thanks', 'apology', 'please', 'greeting', 'offer'],
      harsh: [],
    });
    expect(scoreTone('Per our policy you must pay. We cannot help.')).toMatchObject({ score: 0, harsh: ['refusal', 'demand', 'policy'] });
  });
});

describe('parseClassification', () => {
  it('finds the JSON in prose and falls back to safe values', () => {
    expect(parseClassification('Sure: ```json\n{"category": "Billing", "urgency": "high"}\n```')).toEqual({
      category: 'billing',
      urgency: 'high',
    });
    expect(parseClassification('no idea')).toEqual({ category: 'other', urgency: 'normal' });
    expect(parseClassification('{"category": 3, "urgency": "extreme"}')).toEqual({ category: 'other', urgency: 'normal' });
  });
});
