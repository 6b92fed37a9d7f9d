/**
 * The plugins of a fresh Windows Server 2019/2022 with PowerShell remoting enabled, as `winrm e
 * winrm/config/plugin` lists them. Shapes follow MS-WSMV §3.1.4.1.34.3 (spec examples, spec-derived) and
 * the document Register-PSSessionConfiguration writes (its plugin template in PowerShell's
 * CustomShellCommands.cs). The PowerShell endpoints carry what a current Register writes (the defaults of
 * NewPSSessionConfigurationOptionCommand.cs since 2016, seen in a Windows PowerShell 5.1 capture of a
 * fresh Register): IdleTimeoutms 7200000, MaxIdleTimeoutms 2147483647 (matches the captured shell echo
 * PT2147483.647S), every other quota 2147483647, OutputBufferingMode Block, ProcessIdleTimeoutSec 0 unless
 * the endpoint uses a shared process. The workflow/server-manager and non-PowerShell plugin details are
 * spec-derived, no capture exists.
 */
import { NS } from '../../wsman/xml';
import { RESOURCE_URI } from '../../wsman/soap';

const PS_SDDL = 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;IU)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)';
const PS_QUOTAS =
  '<Quotas IdleTimeoutms="7200000" MaxConcurrentUsers="2147483647" MaxProcessesPerShell="2147483647" MaxMemoryPerShellMB="2147483647" ' +
  'MaxShellsPerUser="2147483647" MaxConcurrentCommandsPerShell="2147483647" MaxShells="2147483647" MaxIdleTimeoutms="2147483647"/>';
const OWN_PROCESS = ' OutputBufferingMode="Block" ProcessIdleTimeoutSec="0"';
const XMLNS = `xmlns="${NS.plugin}"`;

function powershellPlugin(name: string, extraAttrs: string, params: string, sddl: string): string {
  const uri = `${RESOURCE_URI.powershellPrefix}${name}`;
  return (
    `<PlugInConfiguration ${XMLNS} Name="${name}" Filename="%windir%\\system32\\pwrshplugin.dll" SDKVersion="2" XmlRenderingType="text"${extraAttrs}>` +
    `<InitializationParameters>${params}</InitializationParameters>` +
    `<Resources><Resource ResourceUri="${uri}" SupportsOptions="true" ExactMatch="true">` +
    `<Security Uri="${uri}" ExactMatch="true" Sddl="${sddl}"/><Capability Type="Shell"/></Resource></Resources>` +
    `${PS_QUOTAS}</PlugInConfiguration>`
  );
}

const WORKFLOW_PARAMS =
  '<Param Name="PSVersion" Value="5.1"/>' +
  '<Param Name="AssemblyName" Value="Microsoft.PowerShell.Workflow.ServiceCore, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35, processorArchitecture=MSIL"/>' +
  '<Param Name="PSSessionConfigurationTypeName" Value="Microsoft.PowerShell.Workflow.PSWorkflowSessionConfiguration"/>' +
  '<Param Name="SessionConfigurationData" Value="&lt;SessionConfigurationData&gt;&lt;Param Name=&quot;ModulesToImport&quot; Value=&quot;%windir%\\system32\\windowspowershell\\v1.0\\Modules\\PSWorkflow&quot;/&gt;&lt;Param Name=&quot;PrivateData&quot;&gt;&lt;PrivateData&gt;&lt;Param Name=&quot;enablevalidation&quot; Value=&quot;true&quot; /&gt;&lt;/PrivateData&gt;&lt;/Param&gt;&lt;/SessionConfigurationData&gt;"/>';

export const SEED_PLUGINS: readonly string[] = [
  `<PlugInConfiguration ${XMLNS} Name="Event Forwarding Plugin" Filename="C:\\Windows\\system32\\wevtfwd.dll" SDKVersion="1" XmlRenderingType="text">` +
    '<Resources><Resource ResourceUri="http://schemas.microsoft.com/wbem/wsman/1/windows/EventLog" SupportsOptions="true">' +
    '<Security Uri="" ExactMatch="false" Sddl="O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;ER)S:P(AU;FA;GA;;;WD)(AU;SA;GWGX;;;WD)"/>' +
    '<Capability Type="Subscribe" SupportsFiltering="true"/></Resource></Resources></PlugInConfiguration>',
  powershellPlugin('microsoft.powershell', OWN_PROCESS, '<Param Name="PSVersion" Value="5.1"/>', PS_SDDL),
  powershellPlugin(
    'microsoft.powershell.workflow',
    ' UseSharedProcess="true" ProcessIdleTimeoutSec="28800" OutputBufferingMode="Block"',
    WORKFLOW_PARAMS,
    PS_SDDL,
  ),
  powershellPlugin('microsoft.powershell32', ` Architecture="32"${OWN_PROCESS}`, '<Param Name="PSVersion" Value="5.1"/>', PS_SDDL),
  powershellPlugin(
    'microsoft.windows.servermanagerworkflows',
    ' UseSharedProcess="true" ProcessIdleTimeoutSec="28800" OutputBufferingMode="Block"',
    WORKFLOW_PARAMS,
    'O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;NS)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)',
  ),
  `<PlugInConfiguration ${XMLNS} Name="SEL Plugin" Filename="C:\\Windows\\system32\\wsmselpl.dll" SDKVersion="1" XmlRenderingType="text">` +
    '<Resources><Resource ResourceUri="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_LogRecord" SupportsOptions="true" ExactMatch="true">' +
    '<Capability Type="Enumerate"/></Resource></Resources></PlugInConfiguration>',
  `<PlugInConfiguration ${XMLNS} Name="WMI Provider" Filename="C:\\Windows\\system32\\WsmWmiPl.dll" SDKVersion="1" XmlRenderingType="text">` +
    '<Resources>' +
    '<Resource ResourceUri="http://schemas.microsoft.com/wbem/wsman/1/wmi" SupportsOptions="true">' +
    '<Capability Type="Identify"/><Capability Type="Get" SupportsFragment="true"/><Capability Type="Put" SupportsFragment="true"/>' +
    '<Capability Type="Invoke"/><Capability Type="Create"/><Capability Type="Delete"/><Capability Type="Enumerate" SupportsFiltering="true"/>' +
    '<Capability Type="Subscribe" SupportsFiltering="true"/></Resource>' +
    '<Resource ResourceUri="http://schemas.dmtf.org/wbem/wscim/1/cim-schema" SupportsOptions="true">' +
    '<Capability Type="Get" SupportsFragment="true"/><Capability Type="Put" SupportsFragment="true"/><Capability Type="Invoke"/>' +
    '<Capability Type="Create"/><Capability Type="Delete"/><Capability Type="Enumerate"/><Capability Type="Subscribe" SupportsFiltering="true"/></Resource>' +
    '</Resources><Quotas MaxConcurrentUsers="100" MaxConcurrentOperationsPerUser="100" MaxConcurrentOperations="1500"/></PlugInConfiguration>',
];
