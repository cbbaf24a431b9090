import { describe, expect, it } from 'vitest';
import { isJsonContentType, readJsonBody, readLimitedText, RequestRefused } from './body';

/** A chunked body (no Content-Length) that counts how much of it was pulled. */
function chunked(chunks: number, size: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  const request = new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit);
  return { request, pulled: () => pulled };
}

describe('readLimitedText', () => {
  it('stops reading a chunked body at the limit (413) instead of reading it whole', async () => {
    const { request, pulled } = chunked(1000, 64 * 1024); // 64 MB offered
    const error = await readLimitedText(request, 1024 * 1024, 'WHETSTONE_MAX_PAYLOAD_BYTES').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestRefused);
    expect((error as RequestRefused).status).toBe(413);
    expect(pulled()).toBeLessThan(20);
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const request = new Request('http://x/', { method: 'POST', body: 'x'.repeat(11), headers: { 'content-length': '11' } });
    await expect(readLimitedText(request, 10, 'the limit')).rejects.toThrow('Request body is 11 bytes; the limit is 10 bytes (the limit)');
  });
});

describe('readJsonBody', () => {
  const post = (body: string, type = 'application/json') =>
    new Request('http://x/', { method: 'POST', body, headers: { 'content-type': type } });
  it('415 for a body that is not JSON by its Content-Type; an empty body is {}', async () => {
    await expect(readJsonBody(post('{}', 'text/plain'), 100, 'l')).rejects.toMatchObject({ status: 415 });
    await expect(readJsonBody(new Request('http://x/', { method: 'POST' }), 100, 'l')).resolves.toEqual({});
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/vnd.api+json')).toBe(true);
    expect(isJsonContentType('text/json')).toBe(false);
  });
  it('400 for invalid JSON and for what Postgres cannot store', async () => {
    await expect(readJsonBody(post('{'), 100, 'l')).rejects.toMatchObject({ status: 400 });
    await expect(readJsonBody(post('{"a":"\\u0000"}'), 100, 'l')).rejects.toThrow('Invalid request: a string contains a NUL');
  });
});
