/**
 * The server's error model: an error whose message is meant for the caller (API client or the
 * person using the dashboard) is a DomainError, and its `kind` says what went wrong. The engine
 * and the features throw these and know nothing of transports; the mapping to an HTTP status
 * lives in rest-handler.ts (`httpStatusOf`), the mapping to a tRPC code in trpc.ts (`trpcCodeOf`),
 * each in one table. Anything that is not a DomainError is an internal error whose message is
 * not shown.
 */
export type DomainErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** The request is fine, but something it depends on is not set up right (a repository token, say). */
  | 'precondition_failed'
  | 'too_large'
  /** A failure whose message the caller must still see (what happened, what not to do). */
  | 'internal'
  /** A service we called (GitHub) failed or could not be reached. */
  | 'bad_gateway';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class BadRequestError extends DomainError {
  readonly kind = 'bad_request';
}
export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
}
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
}
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition_failed';
}
export class TooLargeError extends DomainError {
  readonly kind = 'too_large';
}
export class InternalError extends DomainError {
  readonly kind = 'internal';
}
export class BadGatewayError extends DomainError {
  readonly kind = 'bad_gateway';
}

const ERROR_OF_KIND: Record<DomainErrorKind, new (message: string, options?: { cause?: unknown }) => DomainError> = {
  bad_request: BadRequestError,
  unauthorized: UnauthorizedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  conflict: ConflictError,
  precondition_failed: PreconditionFailedError,
  too_large: TooLargeError,
  internal: InternalError,
  bad_gateway: BadGatewayError,
};

/** A refusal of the request itself (asking again the same way cannot work), not a failure of the server or of a service it calls. */
export function isRefusal(err: unknown): err is DomainError {
  return err instanceof DomainError && err.kind !== 'internal' && err.kind !== 'bad_gateway';
}

/** The DomainError of `kind` (e.g. the same kind as another error, with a new message). */
export function domainError(kind: DomainErrorKind, message: string, options?: { cause?: unknown }): DomainError {
  return new ERROR_OF_KIND[kind](message, options);
}

export const badRequest = (message: string) => new BadRequestError(message);
export const unauthorized = (message: string) => new UnauthorizedError(message);
export const forbidden = (message: string) => new ForbiddenError(message);
export const notFound = (message: string) => new NotFoundError(message);
export const conflict = (message: string) => new ConflictError(message);
export const precondition = (message: string) => new PreconditionFailedError(message);
export const tooLarge = (message: string) => new TooLargeError(message);
export const internal = (message: string, cause?: unknown) => new InternalError(message, { cause });
export const badGateway = (message: string) => new BadGatewayError(message);
