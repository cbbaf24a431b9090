import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';

/** Test helper: the promise rejects with a TRPCError of `code`; returns it for further checks. */
export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code']): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}
