import { describe, expect, it } from 'vitest';
import { OFFLINE_LABEL, offlineComplete } from './offline-model.js';

const user = 'Subject: Charged twice for order #A-10423\n\nMy card was charged twice for order #A-10423. Please fix it.';
const system = 'You are a friendly support agent. Mention the order number. Sign as Whetstone Support.';
const words = (text: string) => text.replace(OFFLINE_LABEL, '').split(/\s+/).filter(Boolean).length;
const reply = (overrides: Partial<{ system: string; user: string; temperature: number }> = {}) =>
  offlineComplete({ system, user, temperature: 0.7, ...overrides });

describe('offline demo model', () => {
  it('answers the same inputs with the same text, labelled as the offline model', () => {
    const first = reply();
    expect(reply()).toEqual(first);
    expect(first.text.endsWith(OFFLINE_LABEL)).toBe(true);
    expect(first.text).toContain('A-10423');
    expect(first.text).toContain('Whetstone Support');
    expect(first.inputTokens).toBe(Math.ceil((system + user).length / 4));
    expect(first.outputTokens).toBe(Math.ceil(first.text.length / 4));
  });

  it('follows the tone word of the system prompt', () => {
    const friendly = reply({ temperature: 0 }).text;
    const formal = reply({ system: system.replace('friendly', 'formal'), temperature: 0 }).text;
    const apologetic = reply({ system: system.replace('friendly', 'apologetic'), temperature: 0 }).text;
    expect(friendly).toMatch(/^Hi there!/);
    expect(formal).toMatch(/^Dear customer,/);
    expect(apologetic).toMatch(/sorry|apolog/i);
    expect(friendly).not.toMatch(/sorry|apolog/i);
    expect(reply({ system: 'You are a concise agent.' }).text.length).toBeLessThan(friendly.length / 2);
  });

  it('keeps the reply under "under N words" and changes it measurably', () => {
    const long = reply().text;
    const short = reply({ system: `${system} Reply in under 20 words.` }).text;
    expect(words(long)).toBeGreaterThan(30);
    expect(words(short)).toBeLessThan(20);
    expect(
      reply({ system: `${system} Reply in under 8 words.` })
        .text.replace(OFFLINE_LABEL, '')
        .trim()
        .split(/\s+/).length,
    ).toBeLessThan(8);
  });

  it('reads sign-offs, order numbers and language hints', () => {
    expect(reply({ system: 'Be friendly. Sign as Ana from Billing.' }).text).toContain('Ana from Billing');
    expect(reply({ system: 'Be friendly.' }).text).not.toContain('This concerns order');
    expect(reply().text).toContain('This concerns order A-10423.');
    expect(reply({ system: 'Be formal. Reply in Spanish.' }).text).toMatch(/Estimad[oa] client[ea]/);
    expect(reply({ system: 'Be formal. Reply in French.' }).text).toContain('Madame, Monsieur');
    expect(reply({ system: 'Be formal. Reply in German.' }).text).toContain('Sehr geehrte');
  });

  it('builds the reply from the ticket topic', () => {
    expect(reply({ user: 'Subject: How do I invite a teammate?\n\nWhere do I add a colleague?' }).text).toContain('Settings');
    expect(reply({ user: 'Subject: Refund\n\nI want a refund for last month.' }).text).toMatch(/refund/i);
    expect(reply().text).toMatch(/duplicate charge|second charge/);
  });

  it('varies word choice with temperature: 0 always picks the first wording, higher temperatures do not', () => {
    const seeds = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((tag) => `${user}\n${tag}`);
    const cold = seeds.map((u) => reply({ user: u, temperature: 0 }).text.split('\n')[0]);
    const hot = seeds.map((u) => reply({ user: u, temperature: 1 }).text.split('\n')[0]);
    expect(new Set(cold).size).toBe(1);
    expect(new Set(hot).size).toBeGreaterThan(1);
  });

  it('classifies with the categories the prompt lists', () => {
    const classify = (prompt: string, ticket: string) =>
      JSON.parse(/\{.*\}/.exec(reply({ system: prompt, user: ticket, temperature: 0 }).text)![0]);
    const angry = 'Subject: REFUND NOW\n\nThis is ridiculous!! I want my money back immediately.';
    expect(classify('Classify the ticket. Categories: billing, refund, how-to, other.', angry)).toEqual({
      category: 'refund',
      urgency: 'high',
    });
    expect(classify('Classify the ticket. Categories: billing, complaint, other.', angry).category).toBe('other');
    expect(classify('Classify the ticket. Categories: billing, how-to, other.', 'Subject: How do I invite a teammate?\n\nWhere?')).toEqual({
      category: 'how-to',
      urgency: 'low',
    });
  });
});
