import { WsmanClient, type WsmanAuth, type WsmanTlsOptions } from '../wsman';
import { Activity, RecentlyUsed, RestartCoordinator } from './coordination';
import { Host } from './host';
import { resolveHost, type Scheme } from './host-address';
import type { HostLog } from './host-log';
import { errorMessage } from '../common';
import { HostError } from './host-error';

export interface HostPoolSettings {
  readonly scheme: Scheme;
  /** Port for hosts given without one; default 5985 (http) / 5986 (https). */
  readonly port?: number;
  readonly auth: WsmanAuth;
  readonly tls?: WsmanTlsOptions;
  readonly operationTimeoutMs: number;
  readonly restartTimeoutMs: number;
  readonly restart: 'immediate' | 'never';
  /**
   * Operations (and so shells) per host at once. Windows' default MaxShellsPerUser is 30 on current
   * versions (5 on old ones); staying below it keeps room for other clients of the same user.
   */
  readonly maxConcurrencyPerHost: number;
  readonly log: HostLog;
}

/**
 * How long terraform must have sent nothing new before pending restarts run, at least (the activity
 * tracker doubles terraform's slowest pause between operations when that is longer). 400 ms was enough
 * on an idle machine; under load terraform's first pauses alone exceeded it and hosts restarted 2-3 times.
 */
const QUIET_MS = 1000;
/**
 * Hosts whose plugin list a pool keeps (RecentlyUsed). terraform refreshes resources in no particular
 * order, so a host's endpoints are read far apart in a large fleet: with 64 kept, 200 hosts of 4
 * endpoints each sent up to 5 Enumerates a host in a plan. A kept list costs about 25 KB (1000 hosts'
 * lists kept: provider peak RSS 110 -> 135 MB), so 256: 6 MB at most; fleets of more hosts with
 * several endpoints each read some hosts' lists more than once (bench/fleet.ts).
 */
const PLUGIN_LISTS_KEPT = 256;
const RESTART_PARALLEL_HOSTS = 16;

/**
 * Every host of one provider configuration: one Host (and so one persistent WS-Man client with its
 * kept-alive connections) per endpoint, and one restart coordinator across all of them.
 */
export class HostPool {
  readonly activity = new Activity();
  readonly coordinator: RestartCoordinator;
  private readonly hosts = new Map<string, Host>();
  private readonly pluginListRetention = new RecentlyUsed(PLUGIN_LISTS_KEPT);

  constructor(private readonly settings: HostPoolSettings) {
    this.coordinator = new RestartCoordinator({
      activity: this.activity,
      quietMs: QUIET_MS,
      parallelHosts: RESTART_PARALLEL_HOSTS,
      restartHost: (endpoint, signal) => this.byEndpoint(endpoint).restart(signal),
      log: settings.log,
    });
  }

  get restartPolicy(): 'immediate' | 'never' {
    return this.settings.restart;
  }

  host(spec: string): Host {
    const address = resolveHost(spec, this.settings.scheme, this.settings.port);
    let host = this.hosts.get(address.endpoint);
    if (!host) {
      const s = this.settings;
      host = new Host({
        endpoint: address.endpoint,
        label: address.label,
        client: new WsmanClient({
          endpoint: address.endpoint,
          auth: s.auth,
          tls: s.tls,
          operationTimeoutMs: s.operationTimeoutMs,
          maxConnections: s.maxConcurrencyPerHost,
          onStateChange: (change) => s.log.debug('state change', { ...change }),
          trace: (event, fields) => s.log.debug(event, { host: address.label, ...fields }),
        }),
        coordinator: this.coordinator,
        maxConcurrency: s.maxConcurrencyPerHost,
        restartTimeoutMs: s.restartTimeoutMs,
        restart: s.restart,
        retry: {
          attempts: 6,
          baseDelayMs: 200,
          maxDelayMs: 3000,
          onRetry: (e, attempt, delayMs) =>
            s.log.debug('retrying after a transient failure', { host: address.label, attempt, delayMs, reason: errorMessage(e) }),
        },
        log: s.log,
        pluginListRetention: this.pluginListRetention,
      });
      this.hosts.set(address.endpoint, host);
    }
    return host;
  }

  private byEndpoint(endpoint: string): Host {
    const host = this.hosts.get(endpoint);
    if (!host) throw new HostError('invalid-request', `no host for ${endpoint}`);
    return host;
  }
}
