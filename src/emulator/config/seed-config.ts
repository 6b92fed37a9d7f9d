/**
 * A fresh host's `winrm/config`. Element order and values follow the cfg:Config Windows returned in the
 * pypsrp capture test_wsman_update_envelope_size_150 (a 2016+ host); the exceptions are the ones a fresh
 * `Enable-PSRemoting` host has: Service/Auth/Basic and Service/AllowUnencrypted default to false and follow
 * the emulator's --auth / --allow-unencrypted options.
 */
import { leaf, section, type ConfigSection } from './config-tree';

export interface ConfigSeedOptions {
  readonly basic: boolean;
  readonly negotiate: boolean;
  readonly allowUnencrypted: boolean;
}

export function seedConfig(o: ConfigSeedOptions): ConfigSection {
  const bool = (b: boolean): string => (b ? 'true' : 'false');
  return section(
    'Config',
    leaf('MaxEnvelopeSizekb', '150'),
    leaf('MaxTimeoutms', '60000'),
    leaf('MaxBatchItems', '32000'),
    leaf('MaxProviderRequests', '4294967295'),
    section(
      'Client',
      leaf('NetworkDelayms', '5000'),
      leaf('URLPrefix', 'wsman'),
      leaf('AllowUnencrypted', 'false'),
      section('Auth', leaf('Basic', 'true'), leaf('Digest', 'true'), leaf('Kerberos', 'true'), leaf('Negotiate', 'true'), leaf('Certificate', 'true'), leaf('CredSSP', 'false')),
      section('DefaultPorts', leaf('HTTP', '5985'), leaf('HTTPS', '5986')),
      leaf('TrustedHosts', ''),
    ),
    section(
      'Service',
      leaf('RootSDDL', 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)'),
      leaf('MaxConcurrentOperations', '4294967295'),
      leaf('MaxConcurrentOperationsPerUser', '1500'),
      leaf('EnumerationTimeoutms', '240000'),
      leaf('MaxConnections', '300'),
      leaf('MaxPacketRetrievalTimeSeconds', '120'),
      leaf('AllowUnencrypted', bool(o.allowUnencrypted)),
      section(
        'Auth',
        leaf('Basic', bool(o.basic)),
        leaf('Kerberos', 'true'),
        leaf('Negotiate', bool(o.negotiate)),
        leaf('Certificate', 'false'),
        leaf('CredSSP', 'false'),
        leaf('CbtHardeningLevel', 'Relaxed'),
      ),
      section('DefaultPorts', leaf('HTTP', '5985'), leaf('HTTPS', '5986')),
      leaf('IPv4Filter', '*'),
      leaf('IPv6Filter', '*'),
      leaf('EnableCompatibilityHttpListener', 'false'),
      leaf('EnableCompatibilityHttpsListener', 'false'),
      leaf('CertificateThumbprint', ''),
      leaf('AllowRemoteAccess', 'true'),
    ),
    section(
      'Winrs',
      leaf('AllowRemoteShellAccess', 'true'),
      leaf('IdleTimeout', '7200000'),
      leaf('MaxConcurrentUsers', '2147483647'),
      leaf('MaxShellRunTime', '2147483647'),
      leaf('MaxProcessesPerShell', '2147483647'),
      leaf('MaxMemoryPerShellMB', '2147483647'),
      leaf('MaxShellsPerUser', '2147483647'),
    ),
  );
}
