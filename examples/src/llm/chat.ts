// One chat completion: a real OpenAI-compatible endpoint when OPENAI_BASE_URL or OPENAI_API_KEY is
// set, otherwise the offline demo model. Plain fetch, so the examples need no LLM SDK.
import { offlineComplete, roughTokens } from './offline-model.js';

export interface ChatRequest {
  model: string;
  system: string;
  user: string;
  temperature: number;
}

export interface ChatResponse {
  text: string;
  inputTokens: number;
  outputTokens: number;
  provider: 'openai-compatible' | 'offline';
  /** The model that answered (the demo's 'offline-*' names map to OPENAI_MODEL on a real endpoint). */
  model: string;
}

export interface ChatOptions {
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const DEFAULT_REAL_MODEL = 'gpt-4o-mini';

export async function chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResponse> {
  const env = options.env ?? process.env;
  if (!env.OPENAI_BASE_URL && !env.OPENAI_API_KEY) {
    return { ...offlineComplete(request), provider: 'offline', model: request.model };
  }
  return openAiCompatible(request, env, options.signal);
}

async function openAiCompatible(request: ChatRequest, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<ChatResponse> {
  const baseUrl = (env.OPENAI_BASE_URL || DEFAULT_BASE_URL).replace(/\/+$/, '');
  const model = request.model.startsWith('offline') ? env.OPENAI_MODEL || DEFAULT_REAL_MODEL : request.model;
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(env.OPENAI_API_KEY ? { authorization: `Bearer ${env.OPENAI_API_KEY}` } : {}) },
    body: JSON.stringify({
      model,
      temperature: request.temperature,
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ],
    }),
    signal,
  });
  const raw = await response.text();
  if (!response.ok) throw new Error(`Chat completion failed: HTTP ${response.status} from ${baseUrl}: ${raw.slice(0, 300)}`);
  const body = parseCompletion(raw);
  const text = body.choices?.[0]?.message?.content;
  if (typeof text !== 'string') throw new Error(`Chat completion from ${baseUrl} has no choices[0].message.content: ${raw.slice(0, 300)}`);
  return {
    text,
    // Servers that omit usage still get an estimate, so the dashboard shows something.
    inputTokens: body.usage?.prompt_tokens ?? roughTokens(request.system + request.user),
    outputTokens: body.usage?.completion_tokens ?? roughTokens(text),
    provider: 'openai-compatible',
    model: typeof body.model === 'string' && body.model ? body.model : model,
  };
}

interface Completion {
  model?: unknown;
  choices?: { message?: { content?: unknown } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

function parseCompletion(raw: string): Completion {
  try {
    return JSON.parse(raw) as Completion;
  } catch {
    throw new Error(`Chat completion response is not JSON: ${raw.slice(0, 300)}`);
  }
}
