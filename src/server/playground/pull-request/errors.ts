/** Why a pull request (or a patch) could not be made; `kind` says which tRPC error it becomes. */
export type PullRequestErrorKind = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'PRECONDITION_FAILED' | 'BAD_GATEWAY';

/** An error whose message is meant for the person who clicked: it says what is wrong and what to do. */
export class PullRequestError extends Error {
  constructor(
    readonly kind: PullRequestErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'PullRequestError';
  }
}

export const badRequest = (message: string) => new PullRequestError('BAD_REQUEST', message);
export const notFound = (message: string) => new PullRequestError('NOT_FOUND', message);
export const conflict = (message: string) => new PullRequestError('CONFLICT', message);
export const precondition = (message: string) => new PullRequestError('PRECONDITION_FAILED', message);
