import { describeJsonProblem, unsafeJsonProblem } from './json-safety';

/**
 * Reading request bodies with a byte limit: the stream is consumed chunk by chunk and abandoned
 * (413) as soon as it passes the limit, whether or not Content-Length was sent (chunked bodies
 * have none), so a large body costs at most `limit` bytes of memory.
 */

/** A refusal with its own HTTP status and a message for the caller (answered as `{error}` JSON). */
export class RequestRefused extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'RequestRefused';
  }
}

/** The body as text, at most `limit` bytes (413 beyond; `what` names the limit in the message). */
export async function readLimitedText(request: Request, limit: number, what: string): Promise<string> {
  const tooLarge = (bytes: number, exact: boolean) =>
    new RequestRefused(413, `Request body is ${exact ? '' : 'over '}${bytes} bytes; the limit is ${limit} bytes (${what})`);
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(declared, true);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit, false);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

/** True for `application/json` and `application/json; charset=utf-8` (any `+json` too). */
export function isJsonContentType(header: string | null): boolean {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return Boolean(type && (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type)));
}

/**
 * A JSON body, limited to `limit` bytes, in `application/json` (415 otherwise, unless empty:
 * an empty body is `{}`), valid JSON (400) and safe to store (`unsafeJsonProblem`: no NUL, no
 * lone surrogate, at most 100 levels deep; 400 naming the path).
 */
export async function readJsonBody(request: Request, limit: number, what: string): Promise<unknown> {
  const text = await readLimitedText(request, limit, what);
  if (!text) return {};
  if (!isJsonContentType(request.headers.get('content-type'))) {
    throw new RequestRefused(
      415,
      `Send the body as JSON with "Content-Type: application/json" (got ${JSON.stringify(request.headers.get('content-type') ?? 'none')})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RequestRefused(400, `Request body is not valid JSON: ${(err as Error).message}`);
  }
  const problem = unsafeJsonProblem(json);
  if (problem) throw new RequestRefused(400, describeJsonProblem(problem));
  return json;
}
