/**
 * A typed client of the emulator's control API, for tests, benchmarks and the demo: one method per route,
 * each answer typed by control-api.ts. Every call has a timeout; a refused call is an EmulatorError.
 */
import { errorMessage } from '../../common';
import { EmulatorError } from '../emulator-error';
import type { CertMapping } from '../http/client-certificates';
import type {
  AccountDescription,
  CertificateTrust,
  FaultRequest,
  FaultsDescription,
  HostConfigDescription,
  HostCountersSnapshot,
  HostDescription,
  ShellDescription,
  SidLookup,
} from './control-api';

export class EmulatorControl {
  constructor(
    /** The control URL the emulator prints (`EmulatorHandle.control`). */
    readonly url: string,
    private readonly timeoutMs = 15_000,
  ) {}

  async hosts(): Promise<HostDescription[]> {
    return (await this.call<{ hosts: HostDescription[] }>('GET', '/hosts')).hosts;
  }

  host(name: string): Promise<HostDescription> {
    return this.call('GET', hostPath(name));
  }

  async accounts(name: string): Promise<AccountDescription[]> {
    return (await this.call<{ accounts: AccountDescription[] }>('GET', hostPath(name, 'accounts'))).accounts;
  }

  /** The SID an account or group name translates to on the host (NTAccount.Translate); refused for what is not a name. */
  sid(name: string, accountName: string): Promise<SidLookup> {
    return this.call('GET', `${hostPath(name, 'sid')}?name=${encodeURIComponent(accountName)}`);
  }

  /** The CAs the host trusts for client certificates and its certificate mappings (HTTPS hosts). */
  certificates(name: string): Promise<CertificateTrust> {
    return this.call('GET', hostPath(name, 'certificates'));
  }

  /** Trusts a CA (PEM) for client certificates; new TLS connections verify against it. */
  trustClientCa(name: string, pem: string): Promise<CertificateTrust> {
    return this.call('POST', hostPath(name, 'certificates/cas'), { pem });
  }

  /** Adds a client certificate mapping (winrm/config/service/certmapping). */
  addCertMapping(name: string, mapping: CertMapping): Promise<CertificateTrust> {
    return this.call('POST', hostPath(name, 'certificates/mappings'), mapping);
  }

  counters(name: string): Promise<HostCountersSnapshot> {
    return this.call('GET', hostPath(name, 'counters'));
  }

  resetCounters(name: string): Promise<HostCountersSnapshot> {
    return this.call('POST', hostPath(name, 'counters/reset'));
  }

  /** Latency added to every WS-Man request of the host. */
  setLatency(name: string, ms: number): Promise<FaultsDescription> {
    return this.call('POST', hostPath(name, 'latency'), { ms });
  }

  /** The next requests are dropped, answered 503 or answered late. */
  injectFault(name: string, fault: FaultRequest): Promise<FaultsDescription> {
    return this.call('POST', hostPath(name, 'faults'), fault);
  }

  faults(name: string): Promise<FaultsDescription> {
    return this.call('GET', hostPath(name, 'faults'));
  }

  clearFaults(name: string): Promise<FaultsDescription> {
    return this.call('DELETE', hostPath(name, 'faults'));
  }

  /** While on, a restart stays in StopPending (port closed) until it is turned off. */
  setRestartHang(name: string, enabled: boolean): Promise<HostDescription> {
    return this.call('POST', hostPath(name, 'restart-hang'), { enabled });
  }

  /** Restarts WinRM now, as the WMI path does (answered before the restart runs). */
  restart(name: string): Promise<HostDescription> {
    return this.call('POST', hostPath(name, 'restart'));
  }

  /** Takes the host off the network: connections are refused until `up`. */
  down(name: string): Promise<HostDescription> {
    return this.call('POST', hostPath(name, 'down'));
  }

  /** Brings the host back; its stored configuration becomes effective. */
  up(name: string): Promise<HostDescription> {
    return this.call('POST', hostPath(name, 'up'));
  }

  config(name: string): Promise<HostConfigDescription> {
    return this.call('GET', hostPath(name, 'config'));
  }

  async shells(name: string): Promise<ShellDescription[]> {
    return (await this.call<{ shells: ShellDescription[] }>('GET', hostPath(name, 'shells'))).shells;
  }

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new EmulatorError('control-request', `${method} ${path}: ${errorMessage(e)}`, { cause: e });
    }
    const answer: unknown = await res.json();
    if (!res.ok) {
      const error = typeof answer === 'object' && answer !== null && 'error' in answer ? String(answer.error) : `HTTP ${res.status}`;
      throw new EmulatorError('control-request', `${method} ${path}: ${error}`);
    }
    return answer as T;
  }
}

function hostPath(name: string, action?: string): string {
  return `/hosts/${encodeURIComponent(name)}${action === undefined ? '' : `/${action}`}`;
}
