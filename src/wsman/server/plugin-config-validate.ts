/**
 * What the WinRM service checks when a plugin document is created or replaced. Ranges, enumerations
 * and lengths are MS-WSMV 2.2.4.22 PluginType / 2.2.4.23 QuotasType (spec-derived, no capture of a
 * refused plugin write exists); cross-field rules are marked as inference.
 */
import { checkValue, type ConfigFinding, type ValueRule } from '../config/config-values';
import { getQuota } from '../config/plugin-config-access';
import { PLUGIN_ATTRIBUTES, type PluginAttributeKey, type PluginConfig, type QuotaName } from '../config/plugin-config';
import { sddlProblem } from '../config/sddl';
import { INT32_MAX, parseUint, UINT32_MAX } from '../xml';

const BOOL: ValueRule = { kind: 'bool' };
const NAME_MAX = 2048;

const ATTRIBUTE_RULES: Partial<Record<PluginAttributeKey, ValueRule>> = {
  name: { kind: 'text', maxLength: NAME_MAX },
  filename: { kind: 'text', maxLength: NAME_MAX },
  sdkVersion: { kind: 'uint', min: 1, max: UINT32_MAX },
  // The spec treats XmlReader like text on Create/Put.
  xmlRenderingType: { kind: 'enum', values: ['text', 'XmlReader'] },
  architecture: { kind: 'enum', values: ['32', '64'] },
  useSharedProcess: BOOL,
  autoRestart: BOOL,
  enabled: BOOL,
  runAsVirtualAccount: BOOL,
  processIdleTimeoutSec: { kind: 'uint', min: 0, max: 1209600 },
  outputBufferingMode: { kind: 'enum', values: ['Block', 'Drop'] },
};

const QUOTA_RULES: Record<QuotaName, ValueRule> = {
  IdleTimeoutms: { kind: 'uint', min: 60000, max: INT32_MAX },
  MaxIdleTimeoutms: { kind: 'uint', min: 60000, max: INT32_MAX },
  // MS-WSMV 2.2.4.23 says 1–100, but a fresh Register on current Windows stores 2147483647 (captured;
  // PowerShell's CustomShellCommands.cs retries with 100 only for 2012/R2 without WMF). We follow current Windows.
  MaxConcurrentUsers: { kind: 'uint', min: 1, max: INT32_MAX },
  MaxProcessesPerShell: { kind: 'uint', min: 0, max: INT32_MAX },
  MaxMemoryPerShellMB: { kind: 'uint', min: 0, max: INT32_MAX },
  MaxShells: { kind: 'uint', min: 1, max: INT32_MAX },
  MaxShellsPerUser: { kind: 'uint', min: 1, max: INT32_MAX },
  MaxConcurrentCommandsPerShell: { kind: 'uint', min: 1, max: INT32_MAX },
  MaxConcurrentOperationsPerUser: { kind: 'uint', min: 1, max: UINT32_MAX },
  // The spec gives only a default (1500) and the unsigned-int type.
  MaxConcurrentOperations: { kind: 'uint', min: 1, max: UINT32_MAX },
};

const XML_NAME = new Map<PluginAttributeKey, string>(PLUGIN_ATTRIBUTES);

/** Every problem WinRM would refuse the document for; empty when it would accept it. */
export function validatePluginConfig(config: PluginConfig): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const schema = (path: string, message: string): void => {
    findings.push({ path, message, fault: 'SchemaValidationError', basis: 'spec' });
  };

  for (const key of ['name', 'filename'] as const) {
    if ((config[key] ?? '') === '') schema(`@${XML_NAME.get(key)}`, `PlugInConfiguration attribute ${XML_NAME.get(key)} is required`);
  }
  for (const [key, rule] of Object.entries(ATTRIBUTE_RULES) as Array<[PluginAttributeKey, ValueRule]>) {
    const value = config[key];
    const xml = XML_NAME.get(key) ?? key;
    const problem = value === undefined ? undefined : checkValue(xml, value, rule);
    if (problem) schema(`@${xml}`, problem);
  }

  for (const entry of config.quotas?.entries ?? []) {
    const rule = QUOTA_RULES[entry.name as QuotaName] as ValueRule | undefined;
    const problem = rule && checkValue(`Quotas ${entry.name}`, entry.value, rule);
    if (problem) schema(`Quotas/@${entry.name}`, problem);
  }
  const idle = parseUint(getQuota(config, 'IdleTimeoutms'));
  const maxIdle = parseUint(getQuota(config, 'MaxIdleTimeoutms'));
  if (idle !== undefined && maxIdle !== undefined && idle > maxIdle) {
    // Inference: PowerShell orders its per-attribute writes of these two so that they never cross
    // (Set-SessionPluginIdleTimeoutQuotas in CustomShellCommands.cs), which only makes sense if WinRM
    // refuses IdleTimeoutms > MaxIdleTimeoutms.
    findings.push({
      path: 'Quotas/@IdleTimeoutms',
      message: `Quotas IdleTimeoutms (${idle}) must not exceed MaxIdleTimeoutms (${maxIdle})`,
      fault: 'InvalidParameter',
      basis: 'inference',
    });
  }

  config.initializationParameters.forEach((p, i) => {
    if (p.name === '') schema(`InitializationParameters/Param[${i + 1}]/@Name`, 'InitializationParameters Param needs a Name');
  });
  config.resources.forEach((r, i) => {
    const at = `Resources/Resource[${i + 1}]`;
    if ((r.resourceUri ?? '') === '') schema(`${at}/@ResourceUri`, 'Resource attribute ResourceUri is required');
    for (const [label, value] of [
      ['SupportsOptions', r.supportsOptions],
      ['ExactMatch', r.exactMatch],
    ] as const) {
      const problem = value === undefined ? undefined : checkValue(`Resource ${label}`, value, BOOL);
      if (problem) schema(`${at}/@${label}`, problem);
    }
    r.securities.forEach((s, j) => {
      const sat = `${at}/Security[${j + 1}]`;
      const exact = s.exactMatch === undefined ? undefined : checkValue('Security ExactMatch', s.exactMatch, BOOL);
      if (exact) schema(`${sat}/@ExactMatch`, exact);
      if ((s.sddl ?? '') === '') schema(`${sat}/@Sddl`, 'Security attribute Sddl is required');
      else {
        const problem = sddlProblem(s.sddl ?? '');
        if (problem) schema(`${sat}/@Sddl`, `Security Sddl is not a valid security descriptor: ${problem}`);
      }
    });
    r.capabilities.forEach((c, j) => {
      if ((c.type ?? '') === '') schema(`${at}/Capability[${j + 1}]/@Type`, 'Capability attribute Type is required');
    });
  });
  return findings;
}
