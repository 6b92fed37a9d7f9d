/**
 * The `sessionconfigurationdata` initialization parameter: a second XML document, stored escaped in the
 * parameter's Value, `<SessionConfigurationData><Param Name="ModulesToImport" Value="a,b"/>
 * <Param Name="PrivateData">…</Param></SessionConfigurationData>` (Register's template in PowerShell's
 * CustomShellCommands.cs). We change
 * ModulesToImport and keep every other part as it is.
 */
import { preservedElementSpec } from '../../wsman/config';
import { attr, parseXml, writeXml, XmlError, type XmlElement, type XmlNodeSpec } from '../../wsman/xml';

const ROOT = 'SessionConfigurationData';
const MODULES = 'ModulesToImport';

function isParam(el: XmlElement, name: string): boolean {
  return el.local === 'Param' && attr(el, 'Name')?.toLowerCase() === name.toLowerCase();
}

function parseData(text: string): XmlElement {
  const root = parseXml(text);
  if (root.local !== ROOT) throw new XmlError(`sessionconfigurationdata holds <${root.local}>, expected <${ROOT}>`);
  return root;
}

/** The Name → Value pairs of the document's Param elements (PrivateData's value is its inner XML text). */
export function sessionDataParams(text: string): Array<[string, string]> {
  return parseData(text)
    .children.filter((c) => c.local === 'Param')
    .map((p) => {
      const name = attr(p, 'Name') ?? '';
      const value = attr(p, 'Value') ?? p.children.map((c) => writeXml(preservedElementSpec(c))).join('');
      return [name, value];
    });
}

/** Module names from a ModulesToImport value (comma-separated, as the cmdlets write it). */
function splitModules(value: string): string[] {
  return value
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
}

export function modulesToImport(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const entry = sessionDataParams(text).find(([n]) => n.toLowerCase() === MODULES.toLowerCase());
  return entry ? splitModules(entry[1]) : [];
}

/**
 * The document with ModulesToImport set (or removed for an empty list). Returns undefined when nothing
 * is left in it, so the caller can drop the parameter.
 */
export function withModulesToImport(text: string | undefined, modules: readonly string[]): string | undefined {
  const root = text === undefined || text === '' ? undefined : parseData(text);
  const kept: XmlNodeSpec[] = (root?.children ?? []).filter((c) => !isParam(c, MODULES)).map((c) => preservedElementSpec(c));
  const children =
    modules.length > 0
      ? [
          {
            name: 'Param',
            attrs: [
              ['Name', MODULES],
              ['Value', modules.join(',')],
            ] as const,
          },
          ...kept,
        ]
      : kept;
  if (children.length === 0) return undefined;
  return writeXml({ ...(root ? preservedElementSpec(root) : { name: ROOT }), children });
}
