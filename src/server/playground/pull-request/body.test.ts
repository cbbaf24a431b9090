import { describe, expect, it } from 'vitest';
import {
  commitMessage,
  fenced,
  inlineCode,
  MAX_OUTPUT_CHARS,
  pullRequestBody,
  pullRequestTitle,
  truncate,
  type PullRequestText,
} from './body';

const SOURCE_RUN = '019a0000-0000-7000-8000-00000000aaaa';
const VARIANT_RUN = '019a0000-0000-7000-8000-00000000bbbb';

const text = (over: Partial<PullRequestText> = {}): PullRequestText => ({
  workflow: 'support-reply',
  task: 'draft',
  project: 'default',
  publicUrl: 'https://whetstone.example.com/',
  sourceRunId: SOURCE_RUN,
  variantRunId: VARIANT_RUN,
  variant: 1,
  openedBy: 'pm@example.com',
  variables: [
    { name: 'temperature', path: 'src/support.ts', line: 8, before: '0.2', after: '0.7' },
    { name: 'systemPrompt', path: 'src/support.ts', line: 6, before: "'Be brief.'", after: '`Apologise first.\nThen answer.`' },
  ],
  sourceOutput: { reply: 'No.' },
  variantOutput: { reply: 'Sorry about that! Here is your refund.' },
  ...over,
});

describe('pull request text', () => {
  it('the title names the variables, the workflow and the task', () => {
    expect(pullRequestTitle(text())).toBe('Playground: update temperature, systemPrompt in support-reply › draft');
  });

  it('the body lists each variable before → after, both outputs, and links to both runs', () => {
    const body = pullRequestBody(text());
    expect(body).toBe(
      [
        `Opened from the Whetstone playground by pm@example.com: [variant 2](https://whetstone.example.com/p/default/runs/${VARIANT_RUN}) re-ran task \`draft\` of workflow \`support-reply\` from [source run](https://whetstone.example.com/p/default/runs/${SOURCE_RUN}) with new values, and this pull request makes them the defaults in code.`,
        '### Changes',
        '- `temperature` (`src/support.ts:8`): `0.2` → `0.7`',
        "- `systemPrompt` (`src/support.ts:6`):\n\nBefore:\n\n```ts\n'Be brief.'\n```\n\nAfter:\n\n```ts\n`Apologise first.\nThen answer.`\n```",
        '### Output of `draft`',
        `Source run ([0000aaaa](https://whetstone.example.com/p/default/runs/${SOURCE_RUN})):`,
        '```json\n{\n  "reply": "No."\n}\n```',
        `Variant 2 ([0000bbbb](https://whetstone.example.com/p/default/runs/${VARIANT_RUN})):`,
        '```json\n{\n  "reply": "Sorry about that! Here is your refund."\n}\n```',
        '---',
        `- Source run: https://whetstone.example.com/p/default/runs/${SOURCE_RUN}`,
        `- Variant run: https://whetstone.example.com/p/default/runs/${VARIANT_RUN}`,
      ].join('\n\n') + '\n',
    );
  });

  it('outputs are truncated, and backticks inside them cannot close their fence', () => {
    const long = 'x'.repeat(MAX_OUTPUT_CHARS + 500);
    const body = pullRequestBody(text({ sourceOutput: { text: long }, variantOutput: 'use ```sh\nrm -rf /\n``` carefully' }));
    expect(body).toContain(`… (${JSON.stringify({ text: long }, null, 2).length - MAX_OUTPUT_CHARS} more characters)`);
    expect(body).not.toContain(long);
    // The variant's output holds a ``` run: its fence is four backticks, so the ``` inside stays text.
    expect(body).toContain('````json\n"use ```sh\\nrm -rf /\\n``` carefully"\n````');
  });

  it('without a public URL the runs are named by id, with a hint instead of links', () => {
    const body = pullRequestBody(text({ publicUrl: undefined, openedBy: undefined }));
    expect(body).not.toContain('http');
    expect(body).toContain(`- Source run: \`${SOURCE_RUN}\` (set WHETSTONE_PUBLIC_URL on the server for links)`);
    expect(body.startsWith('Opened from the Whetstone playground: variant 2 re-ran')).toBe(true);
  });

  it('the commit message has the title and where each variable is', () => {
    expect(commitMessage(text())).toBe(
      `Playground: update temperature, systemPrompt in support-reply › draft\n\nNew defaults from playground variant 2 (run ${VARIANT_RUN}) of run ${SOURCE_RUN}:\n- temperature (src/support.ts:8)\n- systemPrompt (src/support.ts:6)\n`,
    );
  });
});

describe('markdown helpers', () => {
  it('fenced uses a fence longer than any backtick run inside', () => {
    expect(fenced('plain', 'ts')).toBe('```ts\nplain\n```');
    expect(fenced('a ```` b')).toBe('`````\na ```` b\n`````');
  });

  it('inlineCode holds backticks and flattens line breaks', () => {
    expect(inlineCode('name')).toBe('`name`');
    expect(inlineCode('a`b')).toBe('`` a`b ``');
    expect(inlineCode('one\ntwo')).toBe('`one two`');
  });

  it('truncate keeps short text and never splits a surrogate pair', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('ab😀cd', 3)).toBe('ab\n… (4 more characters)');
  });
});
