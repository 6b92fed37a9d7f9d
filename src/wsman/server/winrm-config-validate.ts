/**
 * What WinRM checks on a Put of winrm/config or one of its parts: value types and ranges from the
 * MS-WSMV config schema (spec-derived; see the rule notes in winrm-config.ts).
 */
import { checkValue, type ConfigFinding } from '../config/config-values';
import { sddlProblem } from '../config/sddl';
import {
  CONFIG_SPEC,
  SERVICE_SPEC,
  WINRS_SPEC,
  type LeafRule,
  type SectionSpec,
  type ServiceConfig,
  type WinrmConfig,
  type WinrsConfig,
} from '../config/winrm-config';

function leafProblem(label: string, value: string, rule: LeafRule): string | undefined {
  if (rule.kind !== 'sddl') return checkValue(label, value, rule);
  const problem = sddlProblem(value);
  return problem && `${label} is not a valid security descriptor: ${problem}`;
}

function validateSection(record: Record<string, unknown>, spec: SectionSpec, path: string): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const m of spec.members) {
    const v = record[m.key];
    if (v === undefined) continue;
    if ('element' in m) {
      const problem = leafProblem(m.element, (v as string).trim(), m.rule);
      if (problem) findings.push({ path: `${path}/${m.element}`, message: problem, fault: 'SchemaValidationError', basis: 'spec' });
    } else {
      findings.push(...validateSection(v as Record<string, unknown>, m.section, `${path}/${m.section.element}`));
    }
  }
  return findings;
}

function validator<T>(spec: SectionSpec) {
  return (model: T): ConfigFinding[] => validateSection(model as Record<string, unknown>, spec, spec.element);
}

export const validateWinrmConfig = validator<WinrmConfig>(CONFIG_SPEC);
export const validateServiceConfig = validator<ServiceConfig>(SERVICE_SPEC);
export const validateWinrsConfig = validator<WinrsConfig>(WINRS_SPEC);
