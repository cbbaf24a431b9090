import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chat } from './chat.js';
import { OFFLINE_LABEL } from './offline-model.js';

const request = { model: 'offline-small', system: 'Be friendly.', user: 'Subject: Hi\n\nHow do I invite a teammate?', temperature: 0.3 };
let server: Server | undefined;

afterEach(async () => {
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = undefined;
});

/** A local OpenAI-compatible endpoint that records what it received and answers `reply`. */
async function fakeEndpoint(status: number, reply: unknown) {
  const received: { url?: string; headers?: IncomingMessage['headers']; body?: any } = {};
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    Object.assign(received, { url: req.url, headers: req.headers, body: JSON.parse(raw) });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, received };
}

describe('chat', () => {
  it('uses the offline model when no endpoint or key is configured', async () => {
    const response = await chat(request, { env: {} });
    expect(response).toMatchObject({ provider: 'offline', model: 'offline-small' });
    expect(response.text.endsWith(OFFLINE_LABEL)).toBe(true);
  });

  it('posts to an OpenAI-compatible endpoint and maps its usage', async () => {
    const { baseUrl, received } = await fakeEndpoint(200, {
      model: 'llama-3.1-8b',
      choices: [{ message: { role: 'assistant', content: 'Open Settings → Members.' } }],
      usage: { prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 },
    });
    const response = await chat(
      { ...request, model: 'llama-3.1-8b' },
      { env: { OPENAI_BASE_URL: `${baseUrl}/`, OPENAI_API_KEY: 'sk-test' } },
    );
    expect(response).toEqual({
      text: 'Open Settings → Members.',
      inputTokens: 31,
      outputTokens: 7,
      provider: 'openai-compatible',
      model: 'llama-3.1-8b',
    });
    expect(received.url).toBe('/v1/chat/completions');
    expect(received.headers?.authorization).toBe('Bearer sk-test');
    expect(received.body).toEqual({
      model: 'llama-3.1-8b',
      temperature: 0.3,
      messages: [
        { role: 'system', content: 'Be friendly.' },
        { role: 'user', content: request.user },
      ],
    });
  });

  it("maps the demo's offline model name to OPENAI_MODEL and estimates missing usage", async () => {
    const { baseUrl, received } = await fakeEndpoint(200, { choices: [{ message: { content: 'Sure!' } }] });
    const response = await chat(request, { env: { OPENAI_BASE_URL: baseUrl, OPENAI_MODEL: 'qwen2.5:0.5b' } });
    expect(received.body.model).toBe('qwen2.5:0.5b');
    expect(received.headers?.authorization).toBeUndefined();
    expect(response).toMatchObject({ text: 'Sure!', provider: 'openai-compatible', model: 'qwen2.5:0.5b', outputTokens: 2 });
  });

  it('fails with the status and body of an error response', async () => {
    const { baseUrl } = await fakeEndpoint(401, { error: { message: 'Incorrect API key' } });
    await expect(chat(request, { env: { OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'bad' } })).rejects.toThrow(
      /HTTP 401.*Incorrect API key/,
    );
  });
});
