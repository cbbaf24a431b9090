import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import {
  BadGatewayError,
  BadRequestError,
  ConflictError,
  DomainError,
  domainError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  PreconditionFailedError,
  TooLargeError,
  UnauthorizedError,
  badGateway,
  badRequest,
  conflict,
  forbidden,
  internal,
  isRefusal,
  notFound,
  precondition,
  tooLarge,
  unauthorized,
  type DomainErrorKind,
} from '@/server/errors';
import { httpStatusOf } from '@/server/rest-handler';
import { createCallerFactory, publicProcedure, router, trpcCodeOf, type Context } from '@/server/trpc';

/** Every kind: its factory, its class, its HTTP status and its tRPC code. */
const KINDS: Array<[DomainErrorKind, (m: string) => DomainError, new (m: string) => DomainError, number, TRPCError['code']]> = [
  ['bad_request', badRequest, BadRequestError, 400, 'BAD_REQUEST'],
  ['unauthorized', unauthorized, UnauthorizedError, 401, 'UNAUTHORIZED'],
  ['forbidden', forbidden, ForbiddenError, 403, 'FORBIDDEN'],
  ['not_found', notFound, NotFoundError, 404, 'NOT_FOUND'],
  ['conflict', conflict, ConflictError, 409, 'CONFLICT'],
  ['precondition_failed', precondition, PreconditionFailedError, 412, 'PRECONDITION_FAILED'],
  ['too_large', tooLarge, TooLargeError, 413, 'PAYLOAD_TOO_LARGE'],
  ['internal', (m) => internal(m), InternalError, 500, 'INTERNAL_SERVER_ERROR'],
  ['bad_gateway', badGateway, BadGatewayError, 502, 'BAD_GATEWAY'],
];

describe('domain errors', () => {
  it.each(KINDS)('%s: factory, class and domainError() agree', (kind, factory, cls) => {
    const err = factory('why');
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toBeInstanceOf(Error);
    expect(err.kind).toBe(kind);
    expect(err.message).toBe('why');
    expect(err.name).toBe(cls.name);
    const again = domainError(kind, 'again');
    expect(again).toBeInstanceOf(cls);
    expect(again.kind).toBe(kind);
  });

  it.each(KINDS)('%s → HTTP %i, tRPC %s', (_kind, factory, _cls, status, code) => {
    expect(httpStatusOf(factory('x'))).toBe(status);
    expect(trpcCodeOf(factory('x'))).toBe(code);
  });

  it("a refusal is the request's fault, not the server's or GitHub's", () => {
    expect(KINDS.filter(([, factory]) => isRefusal(factory('x'))).map(([kind]) => kind)).toEqual(
      KINDS.map(([kind]) => kind).filter((k) => k !== 'internal' && k !== 'bad_gateway'),
    );
    expect(isRefusal(new Error('x'))).toBe(false);
  });

  it('internal() keeps its cause', () => {
    const cause = new Error('redis down');
    expect(internal('stored, not started', cause).cause).toBe(cause);
  });
});

describe('tRPC middleware', () => {
  const boom = new Error('boom');
  const explicit = new TRPCError({ code: 'CONFLICT', message: 'explicit', cause: notFound('inner') });
  const testRouter = router({
    domain: publicProcedure.query(() => {
      throw tooLarge('Run input is 2 bytes; the limit is 1 bytes');
    }),
    asyncDomain: publicProcedure.mutation(async () => {
      await Promise.resolve();
      throw precondition('Connect a repository first');
    }),
    plain: publicProcedure.query(() => {
      throw boom;
    }),
    trpc: publicProcedure.query(() => {
      throw explicit;
    }),
  });
  const caller = createCallerFactory(testRouter)({ db: {} as Context['db'], user: null });

  async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
    const error = await promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCError);
    return error as TRPCError;
  }

  it('turns a DomainError into the TRPCError of its kind, message and cause kept', async () => {
    const sync = await rejection(caller.domain());
    expect(sync.code).toBe('PAYLOAD_TOO_LARGE');
    expect(sync.message).toBe('Run input is 2 bytes; the limit is 1 bytes');
    expect(sync.cause).toBeInstanceOf(TooLargeError);

    const async = await rejection(caller.asyncDomain());
    expect(async.code).toBe('PRECONDITION_FAILED');
    expect(async.message).toBe('Connect a repository first');
    expect(async.cause).toBeInstanceOf(PreconditionFailedError);
  });

  it('leaves other errors as tRPC makes them', async () => {
    const plain = await rejection(caller.plain());
    expect(plain.code).toBe('INTERNAL_SERVER_ERROR');
    expect(plain.cause).toBe(boom);

    const trpc = await rejection(caller.trpc());
    expect(trpc).toBe(explicit);
    expect(trpc.code).toBe('CONFLICT');
  });
});
