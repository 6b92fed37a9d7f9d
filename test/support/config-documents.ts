/** Documents shaped like what Windows returns, written for these tests. */
import { NS } from '../../src/wsman/xml';

/** A microsoft.powershell plugin as a WinRM Get body shows it, with things our model does not own. */
export const POWERSHELL_PLUGIN =
  `<PlugInConfiguration xmlns="${NS.plugin}" xml:lang="en-US" Name="microsoft.powershell" Filename="%windir%\\system32\\pwrshplugin.dll" SDKVersion="2" XmlRenderingType="text" Enabled="True" Architecture="64" UseSharedProcess="false" ProcessIdleTimeoutSec="0" RunAsUser="" RunAsPassword="" RunAsVirtualAccount="false" RunAsVirtualAccountGroups="" OutputBufferingMode="Block" AutoRestart="false" FutureFlag="on">` +
  `<InitializationParameters><Param Name="PSVersion" Value="5.1"/><Param Name="startupscript" Value="C:\\s.ps1"/></InitializationParameters>` +
  `<Resources><Resource ResourceUri="http://schemas.microsoft.com/powershell/microsoft.powershell" SupportsOptions="true" ExactMatch="true">` +
  `<Security Uri="http://schemas.microsoft.com/powershell/microsoft.powershell" ExactMatch="true" Sddl="O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;IU)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)"/>` +
  `<Capability Type="Shell"/></Resource></Resources>` +
  `<Quotas MaxIdleTimeoutMs="2147483647" MaxConcurrentUsers="5" IdleTimeoutms="7200000" MaxProcessesPerShell="15" MaxMemoryPerShellMB="1024" MaxShellsPerUser="25" MaxConcurrentCommandsPerShell="1000" MaxShells="25"/>` +
  `<x:Telemetry xmlns:x="urn:example:future" x:level="2"><x:Sink>none</x:Sink></x:Telemetry>` +
  `</PlugInConfiguration>`;

/** The default winrm/config body recorded from a Windows host (pypsrp fixture), copied by hand. */
export const DEFAULT_CONFIG =
  `<cfg:Config xmlns:cfg="${NS.cfg}"><cfg:MaxEnvelopeSizekb>150</cfg:MaxEnvelopeSizekb><cfg:MaxTimeoutms>60000</cfg:MaxTimeoutms><cfg:MaxBatchItems>32000</cfg:MaxBatchItems><cfg:MaxProviderRequests>4294967295</cfg:MaxProviderRequests>` +
  `<cfg:Client><cfg:NetworkDelayms>5000</cfg:NetworkDelayms><cfg:URLPrefix>wsman</cfg:URLPrefix><cfg:AllowUnencrypted>false</cfg:AllowUnencrypted><cfg:Auth><cfg:Basic>true</cfg:Basic><cfg:Digest>true</cfg:Digest><cfg:Kerberos>true</cfg:Kerberos><cfg:Negotiate>true</cfg:Negotiate><cfg:Certificate>true</cfg:Certificate><cfg:CredSSP>false</cfg:CredSSP></cfg:Auth><cfg:DefaultPorts><cfg:HTTP>5985</cfg:HTTP><cfg:HTTPS>5986</cfg:HTTPS></cfg:DefaultPorts><cfg:TrustedHosts></cfg:TrustedHosts></cfg:Client>` +
  `<cfg:Service><cfg:RootSDDL>O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)</cfg:RootSDDL><cfg:MaxConcurrentOperations>4294967295</cfg:MaxConcurrentOperations><cfg:MaxConcurrentOperationsPerUser>1500</cfg:MaxConcurrentOperationsPerUser><cfg:EnumerationTimeoutms>240000</cfg:EnumerationTimeoutms><cfg:MaxConnections>300</cfg:MaxConnections><cfg:MaxPacketRetrievalTimeSeconds>120</cfg:MaxPacketRetrievalTimeSeconds><cfg:AllowUnencrypted>false</cfg:AllowUnencrypted>` +
  `<cfg:Auth><cfg:Basic>true</cfg:Basic><cfg:Kerberos>true</cfg:Kerberos><cfg:Negotiate>true</cfg:Negotiate><cfg:Certificate>false</cfg:Certificate><cfg:CredSSP>true</cfg:CredSSP><cfg:CbtHardeningLevel>Relaxed</cfg:CbtHardeningLevel></cfg:Auth><cfg:DefaultPorts><cfg:HTTP>5985</cfg:HTTP><cfg:HTTPS>5986</cfg:HTTPS></cfg:DefaultPorts><cfg:IPv4Filter>*</cfg:IPv4Filter><cfg:IPv6Filter>*</cfg:IPv6Filter><cfg:EnableCompatibilityHttpListener>false</cfg:EnableCompatibilityHttpListener><cfg:EnableCompatibilityHttpsListener>false</cfg:EnableCompatibilityHttpsListener><cfg:CertificateThumbprint></cfg:CertificateThumbprint><cfg:AllowRemoteAccess>true</cfg:AllowRemoteAccess></cfg:Service>` +
  `<cfg:Winrs><cfg:AllowRemoteShellAccess>true</cfg:AllowRemoteShellAccess><cfg:IdleTimeout>7200000</cfg:IdleTimeout><cfg:MaxConcurrentUsers>2147483647</cfg:MaxConcurrentUsers><cfg:MaxShellRunTime>2147483647</cfg:MaxShellRunTime><cfg:MaxProcessesPerShell>2147483647</cfg:MaxProcessesPerShell><cfg:MaxMemoryPerShellMB>2147483647</cfg:MaxMemoryPerShellMB><cfg:MaxShellsPerUser>2147483647</cfg:MaxShellsPerUser></cfg:Winrs></cfg:Config>`;
