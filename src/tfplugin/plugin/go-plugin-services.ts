/**
 * The go-plugin services beside the provider: Controller (Shutdown), Stdio (open and silent),
 * Broker (accepted, ignored) and gRPC health ("plugin" is SERVING).
 */
import { GRPCBrokerService, GRPCControllerService, GRPCStdioService } from '../generated/go-plugin';
import { HealthCheckResponse_ServingStatus, HealthService } from '../generated/health';
import { stream, unary, type Method } from '../grpc/grpc-server';
import { GrpcError, Status } from '../grpc/status';

const SERVING = HealthCheckResponse_ServingStatus.SERVING;
const healthOf = (service: string) => {
  if (service !== '' && service !== 'plugin') throw new GrpcError(Status.NOT_FOUND, `unknown service ${service}`);
  return { status: SERVING };
};

export function goPluginMethods(onShutdown: () => void): Map<string, Method> {
  return new Map([
    unary(GRPCControllerService.Shutdown, () => {
      // Answer first: the exit waits until this answer is written (serve.ts); go-plugin waits up to 2 s, then kills.
      setImmediate(onShutdown);
      return {};
    }),
    stream(GRPCStdioService.StreamStdio, () => undefined),
    stream(GRPCBrokerService.StartStream, () => undefined),
    unary(HealthService.Check, (req) => healthOf(req.service)),
    stream(HealthService.Watch, (req, sink) => sink.send(healthOf(req?.service ?? ''))),
  ]);
}
