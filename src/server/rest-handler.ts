import { z } from 'zod';
import { authenticateApiKey, type ApiPrincipal } from '@/server/auth/api-keys';
import { db, type PrismaClient } from '@/server/db/client';
import { badRequest, DomainError, unauthorized, type DomainErrorKind } from '@/server/errors';
import { env } from '@/server/env';
import { readJsonBody, RequestRefused } from '@/server/http/body';
import { describeJsonProblem, unsafeJsonProblem } from '@/server/http/json-safety';

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
 * Wraps a REST route for the SDK: API-key auth (unauthorized), the JSON body (read with a byte
 * limit: 413; `application/json` only: 415; no NUL / lone surrogate / nesting over 100 levels:
 * 400 naming the path — http/body.ts), zod validation (bad_request), and DomainError → status.
 * Responses are JSON.
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
      const params = await route.params;
      // Path and query strings reach queries too: the same NUL / lone-surrogate check as bodies.
      const query = Object.fromEntries(new URL(request.url).searchParams);
      const urlProblem = unsafeJsonProblem({ path: params, query });
      if (urlProblem) throw badRequest(describeJsonProblem(urlProblem));
      const body = bodySchema ? await readBody(request, bodySchema) : (undefined as B);
      const result = await handler({ prisma, principal, body, request }, params);
      return Response.json(result);
    } catch (err) {
      if (err instanceof DomainError) return Response.json({ error: err.message }, { status: httpStatusOf(err) });
      if (err instanceof RequestRefused) return Response.json({ error: err.message }, { status: err.status });
      console.error('[whetstone] REST handler failed', err);
      return Response.json({ error: 'Internal server error' }, { status: 500 });
    }
  };
}

async function readBody<B>(request: Request, schema: z.ZodType<B>): Promise<B> {
  const json = await readJsonBody(request, maxBodyBytes(), 'WHETSTONE_MAX_PAYLOAD_BYTES');
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw badRequest(`Invalid request: ${issues.join('; ')}`);
  }
  return parsed.data;
}
