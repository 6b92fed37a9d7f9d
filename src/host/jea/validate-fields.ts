/**
 * Plan-time validation of declared file fields with the cmdlets' rules (New-PSSessionConfigurationFile and
 * New-PSRoleCapabilityFile parameter checks, DISCUtils.ValidateAbsolutePaths/ValidateExtensions and the
 * VisibleCmdlets checks of DISCPowerShellConfiguration in PowerShell's source). Each finding carries the
 * path of the attribute inside the block or resource, down to the list element.
 */
import { choiceProblem } from '../../common';
import type { FieldValues } from './data-file';
import type { RequiredGroups, RoleDefinition, VisibleCommand } from './field-values';
import type { FieldSet } from './fields';

export type FieldPathStep = string | number | { readonly key: string };

export interface FieldFinding {
  readonly path: readonly FieldPathStep[];
  readonly message: string;
}

// A command name: a name (wildcards allowed) or module-qualified (Module\Name), no spaces or quotes.
const COMMAND_NAME = /^(?:[A-Za-z0-9_.-]+\\)?[A-Za-z0-9_.*?[\]-]+$/;
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FUNCTION_NAME = /^[A-Za-z0-9_.:-]+$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ROLE_CAPABILITY_NAME = /^[^\\/:*?"<>|\s][^\\/:*?"<>|]*$/;
const ABSOLUTE_PATH = /^(?:[A-Za-z]:\\|\\\\[^\\]+\\[^\\]+)/;
// A trailing $ is the account's own; DOMAIN\ is optional.
const ACCOUNT = /^(?:[^\\/:*?"<>|@\s]+\\)?[^\\/:*?"<>|@\s]+\$?$/;

/** Whether JS can compile a .NET pattern: the syntax the two share covers what constraints use; a failure is a real problem. */
function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (e) {
    return e instanceof SyntaxError ? e.message : String(e);
  }
}

function commandFindings(field: string, commands: readonly VisibleCommand[]): FieldFinding[] {
  const out: FieldFinding[] = [];
  commands.forEach((c, i) => {
    if (!COMMAND_NAME.test(c.name))
      out.push({
        path: [field, i, 'name'],
        message: `${field}[${i}].name "${c.name}" is not a command name (Name or Module\\Name, wildcards allowed)`,
      });
    const seen = new Set<string>();
    c.parameters?.forEach((p, j) => {
      const at = [field, i, 'parameters', j] as const;
      if (!PARAMETER_NAME.test(p.name)) out.push({ path: [...at, 'name'], message: `parameter name "${p.name}" is not a parameter name` });
      if (seen.has(p.name.toLowerCase()))
        out.push({ path: [...at, 'name'], message: `parameter "${p.name}" of ${c.name} is listed twice` });
      seen.add(p.name.toLowerCase());
      if (p.validate_set !== undefined && p.validate_pattern !== undefined)
        out.push({ path: at, message: `parameter "${p.name}" of ${c.name} takes validate_set or validate_pattern, not both` });
      if (p.validate_set !== undefined && p.validate_set.length === 0)
        out.push({
          path: [...at, 'validate_set'],
          message: `validate_set of "${p.name}" is empty: no value could be passed; leave it out to allow any`,
        });
      if (p.validate_pattern !== undefined) {
        const problem = patternProblem(p.validate_pattern);
        if (problem !== undefined)
          out.push({
            path: [...at, 'validate_pattern'],
            message: `validate_pattern of "${p.name}" is not a valid regular expression: ${problem}`,
          });
      }
    });
    if (c.parameters !== undefined && /[*?[]/.test(c.name))
      out.push({
        path: [field, i, 'parameters'],
        message: `${c.name}: parameters can be constrained only on a command named without wildcards`,
      });
  });
  return out;
}

function pathFindings(field: string, paths: readonly string[], extension: string, absolute: boolean): FieldFinding[] {
  const out: FieldFinding[] = [];
  paths.forEach((p, i) => {
    if (absolute && !ABSOLUTE_PATH.test(p))
      out.push({ path: [field, i], message: `${field}[${i}] must be a full path on the host, got "${p}"` });
    else if (!p.toLowerCase().endsWith(extension))
      out.push({ path: [field, i], message: `${field}[${i}] must name a ${extension} file, got "${p}"` });
  });
  return out;
}

function nameFindings(field: string, names: Readonly<Record<string, string>>, pattern: RegExp, what: string): FieldFinding[] {
  return Object.keys(names)
    .filter((n) => !pattern.test(n))
    .map((n) => ({ path: [field, { key: n }], message: `${field} key "${n}" is not ${what}` }));
}

function roleFindings(roles: Readonly<Record<string, RoleDefinition>>): FieldFinding[] {
  const out: FieldFinding[] = [];
  for (const [principal, role] of Object.entries(roles)) {
    const at = ['role_definitions', { key: principal }] as const;
    if (principal.trim() === '') out.push({ path: at, message: 'role_definitions keys must be user or group names' });
    if (!role.role_capabilities?.length && !role.role_capability_files?.length)
      out.push({ path: at, message: `role_definitions["${principal}"] must name at least one role capability or role capability file` });
    role.role_capabilities?.forEach((c, i) => {
      if (!ROLE_CAPABILITY_NAME.test(c))
        out.push({
          path: [...at, 'role_capabilities', i],
          message: `"${c}" is not a role capability name (the .psrc file name without extension)`,
        });
    });
    out.push(
      ...pathFindings('role_capability_files', role.role_capability_files ?? [], '.psrc', true).map((f) => ({
        ...f,
        path: [...at, ...f.path],
      })),
    );
  }
  return out;
}

function groupFindings(groups: RequiredGroups): FieldFinding[] {
  const given = [groups.and, groups.or].filter((g) => g !== undefined);
  if (given.length !== 1) return [{ path: ['required_groups'], message: 'required_groups takes exactly one of and, or' }];
  if (given[0]?.length === 0) return [{ path: ['required_groups'], message: 'required_groups must name at least one group' }];
  return [];
}

/**
 * Everything wrong with declared values that can be told without a host. `absolutePaths`: a session
 * configuration's scripts, types and formats must be full paths (Register refuses relative ones); a role
 * capability's may be relative to its module.
 */
export function validateFields(fields: FieldSet, values: FieldValues, o: { absolutePaths: boolean }): FieldFinding[] {
  const out: FieldFinding[] = [];
  for (const [name, decl] of Object.entries(fields)) {
    const v = values[name];
    if (v === undefined) continue;
    if (decl.values !== undefined && typeof v === 'string') {
      const problem = choiceProblem(Object.keys(decl.values), v);
      if (problem !== undefined) out.push({ path: [name], message: `${name} ${problem}` });
    }
    switch (decl.kind) {
      case 'commands':
        out.push(...commandFindings(name, v as readonly VisibleCommand[]));
        break;
      case 'functions':
        out.push(...nameFindings(name, v as Record<string, string>, FUNCTION_NAME, 'a function name'));
        break;
      case 'definitions':
        out.push(
          ...nameFindings(name, v as Record<string, string>, name === 'alias_definitions' ? FUNCTION_NAME : VARIABLE_NAME, 'a name'),
        );
        break;
      case 'roles':
        out.push(...roleFindings(v as Readonly<Record<string, RoleDefinition>>));
        break;
      case 'groups':
        out.push(...groupFindings(v as RequiredGroups));
        break;
      default:
    }
  }
  const paths = (name: string): readonly string[] => (values[name] as readonly string[] | undefined) ?? [];
  out.push(...pathFindings('scripts_to_process', paths('scripts_to_process'), '.ps1', o.absolutePaths));
  out.push(...pathFindings('types_to_process', paths('types_to_process'), '.ps1xml', o.absolutePaths));
  out.push(...pathFindings('formats_to_process', paths('formats_to_process'), '.ps1xml', o.absolutePaths));

  if ('session_type' in fields) out.push(...configurationRules(values));
  return out;
}

/** Rules between the session configuration file's own fields. */
function configurationRules(values: FieldValues): FieldFinding[] {
  const out: FieldFinding[] = [];
  const gmsa = values.group_managed_service_account as string | undefined;
  if (values.run_as_virtual_account === true && gmsa !== undefined)
    out.push({
      path: ['group_managed_service_account'],
      message: 'group_managed_service_account and run_as_virtual_account = true exclude each other: sessions run as one account',
    });
  if (gmsa !== undefined && !ACCOUNT.test(gmsa))
    out.push({
      path: ['group_managed_service_account'],
      message: `group_managed_service_account must be DOMAIN\\name (the trailing $ optional), got "${gmsa}"`,
    });
  if (values.run_as_virtual_account_groups !== undefined && values.run_as_virtual_account !== true)
    out.push({ path: ['run_as_virtual_account_groups'], message: 'run_as_virtual_account_groups needs run_as_virtual_account = true' });
  const size = values.user_drive_maximum_size as number | undefined;
  if (size !== undefined && size < 0)
    out.push({ path: ['user_drive_maximum_size'], message: `user_drive_maximum_size must be 0 or more, got ${size}` });
  if (size !== undefined && values.mount_user_drive !== true)
    out.push({ path: ['user_drive_maximum_size'], message: 'user_drive_maximum_size needs mount_user_drive = true' });
  const transcripts = values.transcript_directory as string | undefined;
  if (transcripts !== undefined && !ABSOLUTE_PATH.test(transcripts))
    out.push({ path: ['transcript_directory'], message: `transcript_directory must be a full path on the host, got "${transcripts}"` });
  return out;
}
