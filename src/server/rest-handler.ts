import { z } from 'zod';
import { authenticateApiKey, type ApiPrincipal } from '@/server/auth/api-keys';
import { db, type PrismaClient } from '@/server/db/client';
import { badRequest, DomainError, tooLarge, unauthorized, type DomainErrorKind } from '@/server/errors';
import { env } from '@/server/env';

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

/** The one mapping of the server's errors to HTTP statuses (the SDK reads them). */
const HTTP_STATUS: Record<DomainErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  internal: 500,
  bad_gateway: 502,
};

/** The HTTP status a DomainError is answered with. */
export function httpStatusOf(err: DomainError): number {
  return HTTP_STATUS[err.kind];
}

/**
 * Wraps a REST route for the SDK: API-key auth (unauthorized), JSON body parsing and
 * zod validation (bad_request, too_large), and DomainError → status. Responses are JSON.
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
        throw unauthorized(
          'Invalid or missing API key: send "Authorization: Bearer <key>" with a key from this Whetstone project (npm start prints one)',
        );
      }
      const body = bodySchema ? await readBody(request, bodySchema) : (undefined as B);
      const result = await handler({ prisma, principal, body, request }, await route.params);
      return Response.json(result);
    } catch (err) {
      if (err instanceof DomainError) return Response.json({ error: err.message }, { status: httpStatusOf(err) });
      console.error('[whetstone] REST handler failed', err);
      return Response.json({ error: 'Internal server error' }, { status: 500 });
    }
  };
}

async function readBody<B>(request: Request, schema: z.ZodType<B>): Promise<B> {
  const limit = maxBodyBytes();
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw bodyTooLarge(declared, limit);
  const text = await request.text();
  const bytes = Buffer.byteLength(text);
  if (bytes > limit) throw bodyTooLarge(bytes, limit);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch (err) {
    throw badRequest(`Request body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw badRequest(`Invalid request: ${issues.join('; ')}`);
  }
  return parsed.data;
}

function bodyTooLarge(bytes: number, limit: number): DomainError {
  return tooLarge(`Request body is ${bytes} bytes; the limit is ${limit} bytes (WHETSTONE_MAX_PAYLOAD_BYTES)`);
}
