/** The values of a file that do not fit what a field expects: a typed error naming the key, without a position. */
import { HostError } from '../host-error';

export class Psd1ShapeError extends HostError {
  override readonly name: string = 'Psd1ShapeError';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super('invalid-data-file', `${key}: ${detail}`);
  }
}
