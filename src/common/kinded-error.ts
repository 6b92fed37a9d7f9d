/**
 * The shape of a layer's error root: an Error with a typed kind, so callers branch on `kind` instead of
 * reading messages. Each layer declares its own root on it (HostError, EmulatorError…), keeping
 * `instanceof` per layer.
 */
export class KindedError<K extends string> extends Error {
  constructor(
    readonly kind: K,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
