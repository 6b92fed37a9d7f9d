/** A value that does not fit its type, from either wire encoding (msgpack or JSON); `at` is its path. */
export class CtyCodecError extends Error {
  constructor(
    readonly detail: string,
    readonly at: string,
  ) {
    super(at ? `${detail} at ${at}` : detail);
    this.name = 'CtyCodecError';
  }
}

/**
 * The error of a nested value, its path prefixed with the step to it. Codecs build paths this way, on
 * the way out of a failure, instead of formatting one for every value they walk.
 */
export function underStep(err: unknown, step: string): unknown {
  return err instanceof CtyCodecError ? new CtyCodecError(err.detail, step + err.at) : err;
}
