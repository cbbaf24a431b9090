import { TRPCError } from '@trpc/server';
import { PullRequestError } from './errors';

/** A PullRequestError as the tRPC error of its kind; anything else is rethrown as it is. */
export function pullRequestTrpcError(error: unknown): unknown {
  if (error instanceof PullRequestError) return new TRPCError({ code: error.kind, message: error.message, cause: error });
  return error;
}

/** Runs `fn`, turning its PullRequestErrors into tRPC errors. */
export async function withPullRequestErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw pullRequestTrpcError(error);
  }
}
