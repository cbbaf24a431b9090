/**
 * The demo's prompts, kept apart from the workflow as real code bases do: `ticket-triage.ts`
 * imports them and passes them to `ctx.playground(...)` as defaults, so "Open pull request" in the
 * playground edits this file (see docs/pull-requests.md).
 */

/** The draft-reply step's system prompt (the playground variable `system_prompt`). */
export const DRAFT_REPLY_SYSTEM_PROMPT = `You are a friendly support agent for Whetstone.
Reply to the customer in under 80 words.
Mention the order number if there is one.
Sign as Whetstone Support.`;
