/** Starts the emulator in-process: one WS-Man listener per virtual host plus the control server. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtualHost } from './virtual-host/virtual-host';
import { HostPersistence } from './state/host-persistence';
import { HostDrive } from './virtual-host/host-drive';
import { HostAccounts } from './accounts/accounts';
import { WsmanListener } from './http/wsman-listener';
import { createTlsMaterial } from './http/tls-certificates';
import { startControlServer } from './control/control-server';
import type { UserCredential } from './http/basic-auth';
import { ClientCertificates, type CertMapping } from './http/client-certificates';
import { EmulatorError } from './emulator-error';
import { parseKeytab } from '../wsman/auth/kerberos';

export interface EmulatorOptions {
  /** Host names; default one host, `win1`. */
  readonly hosts?: readonly string[];
  /** Host i listens on portBase + i and the control API on portBase + the number of hosts; 0 (default) = ephemeral ports. */
  readonly portBase?: number;
  /** Default both. */
  readonly auth?: ReadonlyArray<'basic' | 'ntlm'>;
  /** Default DEFAULT_USER. A user without `groups` is an administrator. */
  readonly users?: readonly UserCredential[];
  readonly tls?: boolean;
  /**
   * MIT keytab with the hosts' service keys (HTTP/<host>@REALM): Kerberos and Negotiate-with-Kerberos
   * are accepted only with one.
   */
  readonly kerberosKeytab?: string;
  /** PEM files of the CAs trusted for client certificates (needs `tls`); certificate auth is offered only with them. */
  readonly clientCaFiles?: readonly string[];
  /** Client certificate mappings (winrm/config/service/certmapping), applied on every host. */
  readonly certMappings?: readonly CertMapping[];
  /** Default: a fresh temporary directory. */
  readonly stateDir?: string;
  readonly latencyMs?: number;
  /** How long a WinRM restart keeps the service down; default 1500. */
  readonly restartMs?: number;
  /** Seeds Service/AllowUnencrypted=true (Windows' default is false). */
  readonly allowUnencrypted?: boolean;
  /** How long a client may take to send one request; default 30000. */
  readonly requestTimeoutMs?: number;
  readonly log?: (msg: string) => void;
  /** Unreceived output a PowerShell session holds before OutputBufferingMode Block/Drop act; default 1 MiB. */
  readonly psrpOutputBufferBytes?: number;
}

export const DEFAULT_USER: UserCredential = { name: 'vagrant', password: 'vagrant' };

export interface EmulatorHandle {
  readonly hosts: ReadonlyArray<{ readonly name: string; readonly endpoint: string; readonly port: number }>;
  readonly caFile?: string;
  /** Base URL of the control API. */
  readonly control: string;
  readonly stateDir: string;
  /** In-process access to the hosts, for tests. */
  readonly virtualHosts: readonly VirtualHost[];
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const names = options.hosts && options.hosts.length > 0 ? options.hosts : ['win1'];
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length)
    throw new EmulatorError('invalid-option', 'host names must be unique');
  const auth = options.auth ?? ['basic', 'ntlm'];
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const stateDir = options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'psremoting-emulator-'));
  fs.mkdirSync(stateDir, { recursive: true });
  const tls = options.tls ? await createTlsMaterial(stateDir) : undefined;
  const portBase = options.portBase ?? 0;
  const kerberosKeys = options.kerberosKeytab === undefined ? undefined : parseKeytab(fs.readFileSync(options.kerberosKeytab));
  if (kerberosKeys && kerberosKeys.length === 0) throw new EmulatorError('invalid-option', `${options.kerberosKeytab} holds no AES key`);

  const users = options.users && options.users.length > 0 ? options.users : [DEFAULT_USER];
  const clientCas = clientCaPems(options);
  const started: Array<{ host: VirtualHost; listener: WsmanListener; clientCertificates?: ClientCertificates }> = [];
  try {
    for (const [i, name] of names.entries()) {
      const host = new VirtualHost({
        name,
        seed: { basic: auth.includes('basic'), negotiate: auth.includes('ntlm'), allowUnencrypted: options.allowUnencrypted ?? false },
        persistence: new HostPersistence(stateDir, name),
        drive: new HostDrive(stateDir, name),
        accounts: new HostAccounts(name, users),
        latencyMs: options.latencyMs ?? 0,
        restartMs: options.restartMs ?? 1500,
        log,
        psrpOutputBufferBytes: options.psrpOutputBufferBytes,
      });
      // Over HTTPS every host can take client certificates: trust and mappings from the options, more
      // through the control API.
      const clientCertificates = tls ? new ClientCertificates(clientCas, options.certMappings ?? [], users) : undefined;
      const listener = new WsmanListener({
        host,
        port: portBase === 0 ? 0 : portBase + i,
        tls,
        users,
        basic: auth.includes('basic'),
        negotiate: auth.includes('ntlm'),
        ...(kerberosKeys ? { kerberosKeys } : {}),
        ...(clientCertificates ? { clientCertificates } : {}),
        log,
        requestTimeoutMs: options.requestTimeoutMs,
      });
      host.listener = listener;
      await listener.start();
      started.push({ host, listener, ...(clientCertificates ? { clientCertificates } : {}) });
    }
  } catch (e) {
    await Promise.all(started.map((s) => s.host.shutdown()));
    throw e;
  }
  const hosts = started.map(({ host, listener }) => ({
    name: host.name,
    port: listener.port,
    endpoint: `${listener.scheme}://127.0.0.1:${listener.port}/wsman`,
  }));
  const controlPort = portBase === 0 ? 0 : portBase + names.length;
  let control: Awaited<ReturnType<typeof startControlServer>>;
  try {
    control = await startControlServer(
      started.map((s, i) => ({ host: s.host, endpoint: hosts[i]?.endpoint ?? '', clientCertificates: s.clientCertificates })),
      controlPort,
    );
  } catch (e) {
    await Promise.all(started.map((s) => s.host.shutdown()));
    throw e;
  }
  return {
    hosts,
    caFile: tls?.caFile,
    control: control.url,
    stateDir,
    virtualHosts: started.map((s) => s.host),
    async stop() {
      await control.close();
      await Promise.all(started.map((s) => s.host.shutdown()));
    },
  };
}

/** The CAs `clientCaFiles` names; client certificates and their mappings need `tls`. */
function clientCaPems(options: EmulatorOptions): string[] {
  const caFiles = options.clientCaFiles ?? [];
  if (!options.tls && (caFiles.length > 0 || (options.certMappings?.length ?? 0) > 0))
    throw new EmulatorError('invalid-option', 'client certificates need --tls: they are presented in the TLS handshake');
  return caFiles.map((f) => fs.readFileSync(f, 'utf8'));
}
