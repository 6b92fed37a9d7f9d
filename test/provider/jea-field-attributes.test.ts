import { CONFIGURATION_FILE_FIELDS, ROLE_CAPABILITY_FIELDS } from '../../src/host/jea';
import { fieldAttributes, fieldStateValues, fieldValuesOf } from '../../src/provider/jea/field-attributes';
import { configFindings } from '../../src/provider/resources/session-configuration/plan-logic';
import { unknown, type Value } from '../../src/tfplugin';
import { FULL_CONFIGURATION } from '../support/jea-fixtures';

const block = (values: Record<string, Value>): Record<string, Value> =>
  Object.fromEntries(Object.keys(CONFIGURATION_FILE_FIELDS).map((f) => [f, values[f] ?? null]));

describe('the file fields as attributes', () => {
  it('has one optional attribute per field, each described with its key', () => {
    const attrs = fieldAttributes(ROLE_CAPABILITY_FIELDS);
    expect(Object.keys(attrs)).toEqual(Object.keys(ROLE_CAPABILITY_FIELDS));
    expect(attrs.visible_cmdlets.mode).toBe('optional');
    expect(attrs.visible_cmdlets.options.description).toMatch(/`VisibleCmdlets`.*Example: `visible_cmdlets = \[/);
  });

  it('turns field values into attribute values and back', () => {
    const state = fieldStateValues(CONFIGURATION_FILE_FIELDS, FULL_CONFIGURATION, null);
    expect(fieldValuesOf(CONFIGURATION_FILE_FIELDS, state)).toEqual({ values: FULL_CONFIGURATION, unknown: [] });
  });

  it('keeps the configuration spelling of a value that means the same, and reports a different one', () => {
    const configured = block({
      visible_providers: ['FileSystem', 'Registry'],
      group_managed_service_account: 'CORP\\jea',
      language_mode: 'NoLanguage',
    });
    const observed = {
      visible_providers: ['registry', 'filesystem'],
      group_managed_service_account: 'corp\\JEA$',
      language_mode: 'FullLanguage',
    };
    const state = fieldStateValues(CONFIGURATION_FILE_FIELDS, observed, configured);
    expect(state.visible_providers).toEqual(['FileSystem', 'Registry']);
    expect(state.group_managed_service_account).toBe('CORP\\jea');
    expect(state.language_mode).toBe('FullLanguage');
  });

  it('reports unknown fields apart, checked once known', () => {
    expect(fieldValuesOf(CONFIGURATION_FILE_FIELDS, block({ session_type: unknown, language_mode: 'NoLanguage' }))).toEqual({
      values: { language_mode: 'NoLanguage' },
      unknown: ['session_type'],
    });
  });

  it('puts plan-time findings at their path inside the block', () => {
    const config = {
      host: 'web1',
      name: 'Ops.Jea',
      security_descriptor_sddl: 'O:NSG:BAD:P(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)',
      configuration_file: block({
        session_type: 'Restricted',
        visible_cmdlets: [{ name: 'Get-Service', parameters: [{ name: 'Name', validate_set: null, validate_pattern: '[' }] }],
        role_definitions: { 'CORP\\Ops': { role_capabilities: ['Ops'], role_capability_files: null } },
      }),
    };
    expect(configFindings(config).map((f) => f.path)).toEqual([
      ['configuration_file', 'session_type'],
      ['configuration_file', 'visible_cmdlets', 0, 'parameters', 0, 'validate_pattern'],
      ['configuration_file', 'role_definitions'],
    ]);
  });
});
