/**
 * A gRPC client for the plugin's services built from an independent implementation (@grpc/grpc-js +
 * @grpc/proto-loader reading the project's .proto files), the way go-plugin's client connects:
 * unix socket, mutual TLS trusting the server's handshake certificate for "localhost".
 */
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createServerCertificate, type ServerCertificate } from '../../src/tfplugin/plugin/auto-mtls';

const protoDir = path.join(__dirname, '../../src/tfplugin/proto');
const definition = protoLoader.loadSync(['tfplugin6.proto', 'go-plugin.proto', 'health.proto'], {
  includeDirs: [protoDir],
  longs: Number,
  bytes: Buffer,
  defaults: true,
  oneofs: false,
});
const pkg = grpc.loadPackageDefinition(definition) as unknown as {
  tfplugin6: { Provider: grpc.ServiceClientConstructor };
  plugin: {
    GRPCController: grpc.ServiceClientConstructor;
    GRPCStdio: grpc.ServiceClientConstructor;
    GRPCBroker: grpc.ServiceClientConstructor;
  };
  grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
};

export interface PluginClients {
  provider: grpc.Client;
  controller: grpc.Client;
  stdio: grpc.Client;
  health: grpc.Client;
  close(): void;
}

/** A client certificate such as terraform makes (self-signed, EKU client+server). */
export const makeClientCertificate = (): ServerCertificate => createServerCertificate();

export function connect(opts: { socket: string; serverCertPem?: string; clientCert?: ServerCertificate }): PluginClients {
  const creds = opts.serverCertPem
    ? grpc.credentials.createSsl(
        Buffer.from(opts.serverCertPem),
        opts.clientCert ? Buffer.from(opts.clientCert.keyPem) : null,
        opts.clientCert ? Buffer.from(opts.clientCert.certPem) : null,
      )
    : grpc.credentials.createInsecure();
  const options = {
    'grpc.ssl_target_name_override': 'localhost',
    'grpc.max_receive_message_length': -1,
    'grpc.max_send_message_length': -1,
  };
  const target = `unix:${opts.socket}`;
  const clients = {
    provider: new pkg.tfplugin6.Provider(target, creds, options),
    controller: new pkg.plugin.GRPCController(target, creds, options),
    stdio: new pkg.plugin.GRPCStdio(target, creds, options),
    health: new pkg.grpc.health.v1.Health(target, creds, options),
  };
  return { ...clients, close: () => Object.values(clients).forEach((c) => c.close()) };
}

/** A unary call as a promise, with a deadline so a hung server fails the test instead of stalling it. */
export function call<T = Record<string, unknown>>(client: grpc.Client, method: string, request: object, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[method]!;
    fn.call(client, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: T) =>
      err ? reject(err) : resolve(res),
    );
  });
}
