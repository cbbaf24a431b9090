import { z } from 'zod';
import { authenticateApiKey, type ApiPrincipal } from './auth/api-keys';
import { db, type PrismaClient } from './db/client';
import { ApiError } from './errors';
import { env } from './env';

/** Largest JSON body the REST API accepts (inputs, definitions): WHETSTONE_MAX_PAYLOAD_BYTES, default 1 MiB. */
export function maxBodyBytes(): number {
  return env().WHETSTONE_MAX_PAYLOAD_BYTES;
}

export interface ApiContext<B> {
  prisma: PrismaClient;
  principal: ApiPrincipal;
  body: B;
  request: Request;
}

/**
 * Wraps a REST route for the SDK: API-key auth (401), JSON body parsing and
 * zod validation (400, 413), and ApiError → status. Responses are JSON.
 */
export function apiRoute<B = undefined, P = Record<string, string>>(
  bodySchema: z.ZodType<B> | null,
  handler: (ctx: ApiContext<B>, params: P) => Promise<unknown>,
) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const prisma = db();
      const principal = await authenticateApiKey(prisma, request.headers.get('authorization'));
      if (!principal) {
        throw new ApiError(401, 'Invalid or missing API key: send "Authorization: Bearer <key>" with a key from this Whetstone project (npm start prints one)');
      }
      const body = bodySchema ? await readBody(request, bodySchema) : (undefined as B);
      const result = await handler({ prisma, principal, body, request }, await route.params);
      return Response.json(result);
    } catch (err) {
      if (err instanceof ApiError) return Response.json({ error: err.message }, { status: err.status });
      console.error('[whetstone] REST handler failed', err);
      return Response.json({ error: 'Internal server error' }, { status: 500 });
    }
  };
}

async function readBody<B>(request: Request, schema: z.ZodType<B>): Promise<B> {
  const limit = maxBodyBytes();
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw tooLarge(declared, limit);
  const text = await request.text();
  const bytes = Buffer.byteLength(text);
  if (bytes > limit) throw tooLarge(bytes, limit);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch (err) {
    throw new ApiError(400, `Request body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw new ApiError(400, `Invalid request: ${issues.join('; ')}`);
  }
  return parsed.data;
}

function tooLarge(bytes: number, limit: number): ApiError {
  return new ApiError(413, `Request body is ${bytes} bytes; the limit is ${limit} bytes (WHETSTONE_MAX_PAYLOAD_BYTES)`);
}
