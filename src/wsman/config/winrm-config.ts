/**
 * The WinRM service configuration (`cfg:Config`, resource `http://schemas.microsoft.com/wbem/wsman/1/config`)
 * and its parts Client, Service, Winrs, as typed models. Like the plugin model, values stay wire text
 * (exact round trips, broken values representable for validation); leaves keep their own attributes
 * (Windows marks policy-set values with `Source="GPO"`) and sections keep unknown children.
 *
 * The tables below drive parsing, writing, validation and merging. Element order is the order Windows
 * writes (captured Get of winrm/config, pypsrp test_wsman_update_envelope_size_150). Value rules: types
 * are MS-WSMV 2.2.4 config schema; ranges beyond the type bounds are noted where they come from.
 */
import type { XmlAttribute } from '../xml';
import { type ValueRule } from './config-values';
import type { Extra } from './preserved-xml';
import { INT32_MAX, UINT32_MAX } from '../xml';

/** Attributes found on leaf elements, by leaf element name. */
export type LeafAttributes = Record<string, XmlAttribute[]>;

interface SectionBase {
  extra: Extra;
  leafAttributes: LeafAttributes;
}

export interface AuthConfig extends SectionBase {
  basic?: string;
  digest?: string;
  kerberos?: string;
  negotiate?: string;
  certificate?: string;
  credSsp?: string;
  cbtHardeningLevel?: string;
}

export interface DefaultPortsConfig extends SectionBase {
  http?: string;
  https?: string;
}

export interface ClientConfig extends SectionBase {
  networkDelayms?: string;
  urlPrefix?: string;
  allowUnencrypted?: string;
  auth?: AuthConfig;
  defaultPorts?: DefaultPortsConfig;
  trustedHosts?: string;
}

export interface ServiceConfig extends SectionBase {
  rootSddl?: string;
  maxConcurrentOperations?: string;
  maxConcurrentOperationsPerUser?: string;
  enumerationTimeoutms?: string;
  maxConnections?: string;
  maxPacketRetrievalTimeSeconds?: string;
  allowUnencrypted?: string;
  auth?: AuthConfig;
  defaultPorts?: DefaultPortsConfig;
  ipv4Filter?: string;
  ipv6Filter?: string;
  enableCompatibilityHttpListener?: string;
  enableCompatibilityHttpsListener?: string;
  certificateThumbprint?: string;
  allowRemoteAccess?: string;
}

export interface WinrsConfig extends SectionBase {
  allowRemoteShellAccess?: string;
  idleTimeout?: string;
  maxConcurrentUsers?: string;
  maxShellRunTime?: string;
  maxProcessesPerShell?: string;
  maxMemoryPerShellMB?: string;
  maxShellsPerUser?: string;
}

export interface WinrmConfig extends SectionBase {
  maxEnvelopeSizekb?: string;
  maxTimeoutms?: string;
  maxBatchItems?: string;
  maxProviderRequests?: string;
  client?: ClientConfig;
  service?: ServiceConfig;
  winrs?: WinrsConfig;
}

/** A leaf rule, or `sddl` for security descriptors (checked by the SDDL parser). */
export type LeafRule = ValueRule | { kind: 'sddl' };

export interface LeafSpec {
  key: string;
  element: string;
  rule: LeafRule;
}

export interface SectionSpec {
  element: string;
  /** Leaves and sub-sections in Windows' element order. */
  members: ReadonlyArray<LeafSpec | { key: string; section: SectionSpec }>;
}

const BOOL: LeafRule = { kind: 'bool' };
const TEXT: LeafRule = { kind: 'text' };
const UINT: LeafRule = { kind: 'uint', min: 0, max: UINT32_MAX };
const leaf = (key: string, element: string, rule: LeafRule): LeafSpec => ({ key, element, rule });

const AUTH_SCHEMES = {
  basic: 'Basic',
  digest: 'Digest',
  kerberos: 'Kerberos',
  negotiate: 'Negotiate',
  certificate: 'Certificate',
  credSsp: 'CredSSP',
} as const;

/** An Auth section: the client and the service each list their own schemes (only the client has Digest). */
function auth(schemes: ReadonlyArray<keyof typeof AUTH_SCHEMES>, ...more: LeafSpec[]): SectionSpec {
  return { element: 'Auth', members: [...schemes.map((k) => leaf(k, AUTH_SCHEMES[k], BOOL)), ...more] };
}

const PORTS: SectionSpec = {
  element: 'DefaultPorts',
  members: [leaf('http', 'HTTP', { kind: 'uint', min: 1, max: 65535 }), leaf('https', 'HTTPS', { kind: 'uint', min: 1, max: 65535 })],
};

const CLIENT_SPEC: SectionSpec = {
  element: 'Client',
  members: [
    leaf('networkDelayms', 'NetworkDelayms', UINT),
    leaf('urlPrefix', 'URLPrefix', TEXT),
    leaf('allowUnencrypted', 'AllowUnencrypted', BOOL),
    { key: 'auth', section: auth(['basic', 'digest', 'kerberos', 'negotiate', 'certificate', 'credSsp']) },
    { key: 'defaultPorts', section: PORTS },
    leaf('trustedHosts', 'TrustedHosts', TEXT),
  ],
};

export const SERVICE_SPEC: SectionSpec = {
  element: 'Service',
  members: [
    leaf('rootSddl', 'RootSDDL', { kind: 'sddl' }),
    leaf('maxConcurrentOperations', 'MaxConcurrentOperations', { kind: 'uint', min: 1, max: UINT32_MAX }),
    leaf('maxConcurrentOperationsPerUser', 'MaxConcurrentOperationsPerUser', { kind: 'uint', min: 1, max: UINT32_MAX }),
    leaf('enumerationTimeoutms', 'EnumerationTimeoutms', UINT),
    leaf('maxConnections', 'MaxConnections', { kind: 'uint', min: 1, max: UINT32_MAX }),
    leaf('maxPacketRetrievalTimeSeconds', 'MaxPacketRetrievalTimeSeconds', UINT),
    leaf('allowUnencrypted', 'AllowUnencrypted', BOOL),
    {
      key: 'auth',
      section: auth(
        ['basic', 'kerberos', 'negotiate', 'certificate', 'credSsp'],
        leaf('cbtHardeningLevel', 'CbtHardeningLevel', { kind: 'enum', values: ['None', 'Relaxed', 'Strict'] }),
      ),
    },
    { key: 'defaultPorts', section: PORTS },
    leaf('ipv4Filter', 'IPv4Filter', TEXT),
    leaf('ipv6Filter', 'IPv6Filter', TEXT),
    leaf('enableCompatibilityHttpListener', 'EnableCompatibilityHttpListener', BOOL),
    leaf('enableCompatibilityHttpsListener', 'EnableCompatibilityHttpsListener', BOOL),
    leaf('certificateThumbprint', 'CertificateThumbprint', TEXT),
    leaf('allowRemoteAccess', 'AllowRemoteAccess', BOOL),
  ],
};

export const WINRS_SPEC: SectionSpec = {
  element: 'Winrs',
  members: [
    leaf('allowRemoteShellAccess', 'AllowRemoteShellAccess', BOOL),
    // Minimum 1000 ms per learn.microsoft.com "Installation and configuration for Windows Remote Management"; not in a capture.
    leaf('idleTimeout', 'IdleTimeout', { kind: 'uint', min: 1000, max: INT32_MAX }),
    leaf('maxConcurrentUsers', 'MaxConcurrentUsers', { kind: 'uint', min: 1, max: INT32_MAX }),
    leaf('maxShellRunTime', 'MaxShellRunTime', { kind: 'uint', min: 0, max: INT32_MAX }),
    leaf('maxProcessesPerShell', 'MaxProcessesPerShell', { kind: 'uint', min: 0, max: INT32_MAX }),
    leaf('maxMemoryPerShellMB', 'MaxMemoryPerShellMB', { kind: 'uint', min: 0, max: INT32_MAX }),
    leaf('maxShellsPerUser', 'MaxShellsPerUser', { kind: 'uint', min: 1, max: INT32_MAX }),
  ],
};

export const CONFIG_SPEC: SectionSpec = {
  element: 'Config',
  members: [
    // MS-WSMV: MaxEnvelopeSizekb has a minimum of 32.
    leaf('maxEnvelopeSizekb', 'MaxEnvelopeSizekb', { kind: 'uint', min: 32, max: UINT32_MAX }),
    leaf('maxTimeoutms', 'MaxTimeoutms', UINT),
    leaf('maxBatchItems', 'MaxBatchItems', { kind: 'uint', min: 1, max: UINT32_MAX }),
    leaf('maxProviderRequests', 'MaxProviderRequests', { kind: 'uint', min: 1, max: UINT32_MAX }),
    { key: 'client', section: CLIENT_SPEC },
    { key: 'service', section: SERVICE_SPEC },
    { key: 'winrs', section: WINRS_SPEC },
  ],
};
