/** The `psremoting_role_capability` schema: one .psrc in a module's RoleCapabilities folder on one host. */
import { ROLE_CAPABILITY_FIELDS } from '../../../host/jea';
import { attr, defineSchema, t } from '../../../tfplugin';
import { fieldAttributes } from '../../jea/field-attributes';

export const ROLE_CAPABILITY_TYPE = 'psremoting_role_capability';

export const roleCapabilitySchema = defineSchema({
  description:
    'A JEA role capability: a .psrc file (as New-PSRoleCapabilityFile writes one) in the `RoleCapabilities` folder of a module on a host, ' +
    'which session configurations name in `role_definitions`. The module folder and a minimal manifest (`<module>.psd1`) are created when ' +
    "missing. Written over a session on the host's administrative endpoint; read back on every refresh and compared field by field on parsed " +
    'values (whitespace, comments, key order and letter case of names are no difference; a field edited on the host is drift on that field). ' +
    'Destroying it removes the .psrc and leaves the module.',
  attributes: {
    host: attr.required(t.string, {
      requiresReplace: true,
      description:
        "The Windows host: a name, `name:port`, or a full `http(s)://host:port/wsman` URL. Names take the provider's scheme and port.",
    }),
    module: attr.required(t.string, {
      requiresReplace: true,
      description:
        'The module that holds the role capability, e.g. "ContosoJea". Must be on the host\'s PSModulePath for names to resolve.',
    }),
    module_path: attr.optionalComputed(t.string, {
      requiresReplace: true,
      description:
        'The module folder on the host. Default `C:\\\\Program Files\\\\WindowsPowerShell\\\\Modules\\\\<module>` (on PSModulePath for every user).',
    }),
    name: attr.required(t.string, {
      requiresReplace: true,
      description:
        'The role capability name: the .psrc file name without extension, what `role_definitions` names (`role_capabilities = ["<name>"]`).',
    }),
    ...fieldAttributes(ROLE_CAPABILITY_FIELDS),
    path: attr.computed(t.string, { description: 'The .psrc file on the host: `<module_path>\\\\RoleCapabilities\\\\<name>.psrc`.' }),
  },
});
