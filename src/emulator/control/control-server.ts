/**
 * The control/observability API: one JSON-over-HTTP server on 127.0.0.1 for the whole emulator, apart
 * from the WS-Man ports (which go down during a WinRM restart). Routes are documented in ../README.md.
 */
import * as http from 'node:http';
import { writePluginConfig, writeWinrmConfig } from '../../wsman/config';
import type { HostConfigView, VirtualHost } from '../virtual-host/virtual-host';
import { readBody } from '../http/read-body';
import type { ClientCertificates } from '../http/client-certificates';
import { errorMessage } from '../../common';
import { EmulatorError } from '../emulator-error';
import type { ConfigView, HostDescription } from './control-api';

export interface ControlHost {
  readonly host: VirtualHost;
  readonly endpoint: string;
  /** Over HTTPS: the host's client certificate trust and mappings. */
  readonly clientCertificates?: ClientCertificates;
}

const MAX_CONTROL_BODY = 64 * 1024;
/** An answer: any JSON object (the shapes are declared in control-api.ts). */
type Json = object;

export async function startControlServer(hosts: readonly ControlHost[], port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const byName = new Map(hosts.map((h) => [h.host.name.toLowerCase(), h]));
  const server = http.createServer((req, res) => {
    void route(req, byName)
      .then(([status, body]) => send(res, status, body))
      .catch((e: unknown) => send(res, 400, { error: errorMessage(e) }));
  });
  server.requestTimeout = 30_000;
  // Clients (fetch) drop idle sockets after ~4 s; a server that closes first can race a request onto a
  // socket it is closing (ECONNRESET seen under load). Let the client be the one that closes.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

async function route(req: http.IncomingMessage, byName: ReadonlyMap<string, ControlHost>): Promise<[number, Json]> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  if (parts[0] !== 'hosts') return [404, { error: `no route ${method} ${url.pathname}` }];
  if (parts.length === 1 && method === 'GET') return [200, { hosts: [...byName.values()].map(describe) }];
  const h = byName.get((parts[1] ?? '').toLowerCase());
  if (!h) return [404, { error: `no host named ${parts[1] ?? ''}` }];
  const host = h.host;
  const action = parts.slice(2).join('/');
  const body = method === 'POST' || method === 'PUT' ? await readJson(req) : {};
  switch (`${method} ${action}`) {
    case 'GET ':
      return [200, describe(h)];
    case 'GET counters':
      return [200, host.counters.snapshot()];
    case 'POST counters/reset':
      host.counters.reset();
      return [200, host.counters.snapshot()];
    case 'POST latency':
      host.injection.latencyMs = nonNegative(body.ms, 'ms');
      return [200, host.injection.describe()];
    case 'GET faults':
      return [200, host.injection.describe()];
    case 'POST faults': {
      const kind = body.kind;
      if (kind !== 'drop' && kind !== 'http503' && kind !== 'slow')
        throw new EmulatorError('control-request', 'kind must be drop, http503 or slow');
      host.injection.add(
        { kind: kind, delayMs: body.delayMs === undefined ? 2000 : nonNegative(body.delayMs, 'delayMs') },
        body.count === undefined ? 1 : nonNegative(body.count, 'count'),
      );
      return [200, host.injection.describe()];
    }
    case 'DELETE faults':
      host.injection.clear();
      return [200, host.injection.describe()];
    case 'POST restart-hang':
      host.setRestartHang(body.enabled === true);
      return [200, describe(h)];
    case 'POST restart':
      host.runOutOfBand([{ kind: 'restart-winrm' }]);
      return [202, describe(h)];
    case 'POST down':
      await host.takeDown();
      return [200, describe(h)];
    case 'POST up':
      await host.bringUp();
      return [200, describe(h)];
    case 'GET config':
      return [200, { stored: configJson(host.stored), effective: configJson(host.effective) }];
    case 'GET accounts':
      return [
        200,
        {
          accounts: host.accounts.list().map((a) => ({
            identity: a.identity,
            sid: a.sid,
            groups: a.groups.map((g) => ({ name: g, sid: host.accounts.sidOf(g) ?? '' })),
            isAdministrator: a.isAdministrator,
          })),
        },
      ];
    case 'GET sid': {
      const name = url.searchParams.get('name') ?? '';
      const sid = host.accounts.sidOf(name);
      return sid === undefined ? [404, { error: `${name} is not an account name` }] : [200, { name, sid }];
    }
    case 'GET certificates':
      return [200, certificatesOf(h).describe()];
    case 'POST certificates/cas':
      return [200, certificatesOf(h).trust(text(body.pem, 'pem'))];
    case 'POST certificates/mappings':
      return [
        200,
        certificatesOf(h).addMapping({
          subject: text(body.subject, 'subject'),
          issuer: text(body.issuer, 'issuer'),
          userName: text(body.userName, 'userName'),
          enabled: body.enabled !== false,
        }),
      ];
    case 'GET shells':
      return [
        200,
        {
          shells: [...host.shells.values()].map((s) => ({
            ...s.settings,
            state: s.state,
            pwshPid: s.session?.pid,
            commands: [...s.commands.values()].map((c) => ({ id: c.id, commandLine: c.commandLine, done: c.done, pid: c.pid })),
          })),
        },
      ];
    default:
      return [404, { error: `no route ${method} ${url.pathname}` }];
  }
}

function describe(h: ControlHost): HostDescription {
  return {
    name: h.host.name,
    endpoint: h.endpoint,
    listening: h.host.listener?.listening ?? false,
    service: h.host.serviceState,
    restartHang: h.host.restartHang,
    restarts: h.host.restarts,
    shells: h.host.shells.size,
  };
}

function configJson(view: HostConfigView): ConfigView {
  return {
    config: writeWinrmConfig(view.config),
    plugins: Object.fromEntries(view.plugins.list().map((p) => [p.name ?? '', writePluginConfig(p)])),
  };
}

function certificatesOf(h: ControlHost): ClientCertificates {
  if (!h.clientCertificates) throw new EmulatorError('control-request', `${h.host.name} takes client certificates only over HTTPS (--tls)`);
  return h.clientCertificates;
}

function text(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw new EmulatorError('control-request', `${name} must be a non-empty string`);
  return v;
}

function nonNegative(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new EmulatorError('control-request', `${name} must be a non-negative integer`);
  return v;
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, MAX_CONTROL_BODY);
  if (body === undefined) throw new EmulatorError('control-request', `request body larger than ${MAX_CONTROL_BODY} bytes or cut short`);
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new EmulatorError('control-request', 'body must be a JSON object');
  return v as Record<string, unknown>;
}
