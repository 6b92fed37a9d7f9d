/** The error a handler throws to answer with a gRPC status (grpc-js's codes) instead of INTERNAL. */
import { status as Status } from '@grpc/grpc-js';

export { Status };

export class GrpcError extends Error {
  constructor(
    readonly code: Status,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
  }
}
