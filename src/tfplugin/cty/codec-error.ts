/** A value that does not fit its type, from either wire encoding (msgpack or JSON); `at` is its path. */
export class CtyCodecError extends Error {
  constructor(message: string, readonly at: string) {
    super(at ? `${message} at ${at}` : message);
    this.name = 'CtyCodecError';
  }
}
