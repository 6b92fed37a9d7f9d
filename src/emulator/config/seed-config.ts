/**
 * A fresh host's `winrm/config`. Element order and values follow the cfg:Config Windows returned in the
 * pypsrp capture test_wsman_update_envelope_size_150 (a 2016+ host); the exceptions are the ones a fresh
 * `Enable-PSRemoting` host has: Service/Auth/Basic and Service/AllowUnencrypted default to false and follow
 * the emulator's --auth / --allow-unencrypted options.
 */
import { NS } from '../../wsman/xml';
import { parseWinrmConfig, type WinrmConfig } from '../../wsman/config';

export interface ConfigSeedOptions {
  readonly basic: boolean;
  readonly negotiate: boolean;
  readonly allowUnencrypted: boolean;
}

export function seedConfig(o: ConfigSeedOptions): WinrmConfig {
  const bool = (b: boolean): string => (b ? 'true' : 'false');
  return parseWinrmConfig(
    `<cfg:Config xmlns:cfg="${NS.cfg}">` +
      '<cfg:MaxEnvelopeSizekb>150</cfg:MaxEnvelopeSizekb><cfg:MaxTimeoutms>60000</cfg:MaxTimeoutms>' +
      '<cfg:MaxBatchItems>32000</cfg:MaxBatchItems><cfg:MaxProviderRequests>4294967295</cfg:MaxProviderRequests>' +
      '<cfg:Client><cfg:NetworkDelayms>5000</cfg:NetworkDelayms><cfg:URLPrefix>wsman</cfg:URLPrefix><cfg:AllowUnencrypted>false</cfg:AllowUnencrypted>' +
      '<cfg:Auth><cfg:Basic>true</cfg:Basic><cfg:Digest>true</cfg:Digest><cfg:Kerberos>true</cfg:Kerberos><cfg:Negotiate>true</cfg:Negotiate>' +
      '<cfg:Certificate>true</cfg:Certificate><cfg:CredSSP>false</cfg:CredSSP></cfg:Auth>' +
      '<cfg:DefaultPorts><cfg:HTTP>5985</cfg:HTTP><cfg:HTTPS>5986</cfg:HTTPS></cfg:DefaultPorts><cfg:TrustedHosts></cfg:TrustedHosts></cfg:Client>' +
      '<cfg:Service><cfg:RootSDDL>O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)</cfg:RootSDDL>' +
      '<cfg:MaxConcurrentOperations>4294967295</cfg:MaxConcurrentOperations><cfg:MaxConcurrentOperationsPerUser>1500</cfg:MaxConcurrentOperationsPerUser>' +
      '<cfg:EnumerationTimeoutms>240000</cfg:EnumerationTimeoutms><cfg:MaxConnections>300</cfg:MaxConnections>' +
      '<cfg:MaxPacketRetrievalTimeSeconds>120</cfg:MaxPacketRetrievalTimeSeconds>' +
      `<cfg:AllowUnencrypted>${bool(o.allowUnencrypted)}</cfg:AllowUnencrypted>` +
      `<cfg:Auth><cfg:Basic>${bool(o.basic)}</cfg:Basic><cfg:Kerberos>true</cfg:Kerberos><cfg:Negotiate>${bool(o.negotiate)}</cfg:Negotiate>` +
      '<cfg:Certificate>false</cfg:Certificate><cfg:CredSSP>false</cfg:CredSSP><cfg:CbtHardeningLevel>Relaxed</cfg:CbtHardeningLevel></cfg:Auth>' +
      '<cfg:DefaultPorts><cfg:HTTP>5985</cfg:HTTP><cfg:HTTPS>5986</cfg:HTTPS></cfg:DefaultPorts>' +
      '<cfg:IPv4Filter>*</cfg:IPv4Filter><cfg:IPv6Filter>*</cfg:IPv6Filter>' +
      '<cfg:EnableCompatibilityHttpListener>false</cfg:EnableCompatibilityHttpListener><cfg:EnableCompatibilityHttpsListener>false</cfg:EnableCompatibilityHttpsListener>' +
      '<cfg:CertificateThumbprint></cfg:CertificateThumbprint><cfg:AllowRemoteAccess>true</cfg:AllowRemoteAccess></cfg:Service>' +
      '<cfg:Winrs><cfg:AllowRemoteShellAccess>true</cfg:AllowRemoteShellAccess><cfg:IdleTimeout>7200000</cfg:IdleTimeout>' +
      '<cfg:MaxConcurrentUsers>2147483647</cfg:MaxConcurrentUsers><cfg:MaxShellRunTime>2147483647</cfg:MaxShellRunTime>' +
      '<cfg:MaxProcessesPerShell>2147483647</cfg:MaxProcessesPerShell><cfg:MaxMemoryPerShellMB>2147483647</cfg:MaxMemoryPerShellMB>' +
      '<cfg:MaxShellsPerUser>2147483647</cfg:MaxShellsPerUser></cfg:Winrs>' +
      '</cfg:Config>',
  );
}
