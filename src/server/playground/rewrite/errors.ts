/** Why a playground default could not be rewritten. */
export type RewriteErrorCode = 'parse_error' | 'call_not_found' | 'ambiguous' | 'unsupported_default' | 'invalid_value';

/** A rewrite that cannot be done; `message` names the file, the playground variable and the line. */
export class RewriteError extends Error {
  constructor(
    readonly code: RewriteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RewriteError';
  }
}
