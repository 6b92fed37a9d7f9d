/**
 * The control API's answers (JSON over HTTP on loopback; routes in ../README.md), declared once for the
 * server that writes them (control-server.ts) and the typed client that reads them (emulator-control.ts).
 */
import type { InjectedFaultKind } from '../virtual-host/fault-injection';
import type { ServiceState } from '../virtual-host/service-state';

export interface HostDescription {
  readonly name: string;
  readonly endpoint: string;
  readonly listening: boolean;
  readonly service: ServiceState;
  readonly restartHang: boolean;
  /** WinRM restarts completed since the emulator started. */
  readonly restarts: number;
  /** Live shells. */
  readonly shells: number;
}

export interface HostCountersSnapshot {
  readonly total: number;
  /** Requests by operation: Get, Put, Enumerate, Receive, Invoke… */
  readonly byOperation: Readonly<Record<string, number>>;
  readonly authHandshakes: number;
  readonly faults: number;
}

export interface FaultsDescription {
  readonly latencyMs: number;
  readonly pending: ReadonlyArray<{ readonly kind: InjectedFaultKind; readonly delayMs: number; readonly remaining: number }>;
}

export interface FaultRequest {
  readonly kind: InjectedFaultKind;
  /** How many of the next requests get it. Default 1. */
  readonly count?: number;
  /** For `slow`: how long the answer is held back. Default 2000. */
  readonly delayMs?: number;
}

export interface ConfigView {
  /** The cfg:Config document. */
  readonly config: string;
  /** Plugin documents by name. */
  readonly plugins: Readonly<Record<string, string>>;
}

export interface HostConfigDescription {
  readonly stored: ConfigView;
  readonly effective: ConfigView;
}

export interface ShellDescription {
  readonly id: string;
  readonly owner: string;
  readonly resourceUri: string;
  readonly state: string;
  readonly commands: ReadonlyArray<{ readonly id: string; readonly commandLine: string; readonly done: boolean; readonly pid?: number }>;
  /** The `pwsh -s` process of a PowerShell shell, once started. */
  readonly pwshPid?: number;
  /** The rest of the shell's settings (kind, client IP, idle timeout, streams…). */
  readonly [setting: string]: unknown;
}

/** `GET /hosts/NAME/accounts`: the configured accounts with their SIDs and groups. */
export interface AccountDescription {
  readonly identity: string;
  readonly sid: string;
  readonly groups: ReadonlyArray<{ readonly name: string; readonly sid: string }>;
  readonly isAdministrator: boolean;
}

/** `GET /hosts/NAME/sid?name=…`: what a name translates to on the host. */
export interface SidLookup {
  readonly name: string;
  readonly sid: string;
}

/** `GET /hosts/NAME/certificates`: the CAs trusted for client certificates and the certificate mappings. */
export interface CertificateTrust {
  readonly cas: ReadonlyArray<{ readonly subject: string; readonly thumbprint: string }>;
  readonly mappings: ReadonlyArray<{
    readonly subject: string;
    readonly issuer: string;
    readonly userName: string;
    readonly enabled: boolean;
  }>;
}
