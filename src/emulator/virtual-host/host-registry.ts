/**
 * The part of a host's registry the emulator models: string values that out-of-band commands write
 * (`reg add`) and WMI StdRegProv reads and writes. Key paths and value names are case-insensitive and
 * keep the case they were first written with, as the Windows registry does.
 */

/** Hives by their WMI `hDefKey` number and their `reg.exe` names. */
const HIVES: ReadonlyArray<{ readonly id: string; readonly names: readonly string[] }> = [
  { id: '2147483648', names: ['HKCR', 'HKEY_CLASSES_ROOT'] },
  { id: '2147483649', names: ['HKCU', 'HKEY_CURRENT_USER'] },
  { id: '2147483650', names: ['HKLM', 'HKEY_LOCAL_MACHINE'] },
  { id: '2147483651', names: ['HKU', 'HKEY_USERS'] },
  { id: '2147483653', names: ['HKCC', 'HKEY_CURRENT_CONFIG'] },
];

/** Persisted form: `HKLM\SOFTWARE\x` → value name → data. */
export type RegistryData = Record<string, Record<string, string>>;

export class HostRegistry {
  constructor(private readonly data: RegistryData = {}) {}

  /** The canonical `HKLM\…` path of a WMI hive number and sub key, or undefined for an unknown hive. */
  static wmiPath(hDefKey: string, subKey: string): string | undefined {
    const hive = HIVES.find((h) => h.id === hDefKey.trim());
    return hive && joinPath(hive.names[0] as string, subKey);
  }

  /** The canonical path of a `reg.exe` key argument (`HKLM\SOFTWARE\x`), or undefined for an unknown hive. */
  static regPath(key: string): string | undefined {
    const slash = key.indexOf('\\');
    const root = (slash < 0 ? key : key.slice(0, slash)).toUpperCase();
    const hive = HIVES.find((h) => h.names.includes(root));
    return hive && joinPath(hive.names[0] as string, slash < 0 ? '' : key.slice(slash + 1));
  }

  get(path: string, name: string): string | undefined {
    const values = this.data[findKey(this.data, path) ?? ''];
    const found = values && findKey(values, name);
    return found === undefined ? undefined : values?.[found];
  }

  hasKey(path: string): boolean {
    return findKey(this.data, path) !== undefined;
  }

  /** Creates a key (and nothing else); an existing key is kept as it is. */
  createKey(path: string): void {
    if (!this.hasKey(path)) this.data[path] = {};
  }

  /** Sets a value, creating its key (as `reg add` does). */
  set(path: string, name: string, value: string): void {
    const key = findKey(this.data, path) ?? path;
    const values = (this.data[key] ??= {});
    values[findKey(values, name) ?? name] = value;
  }

  toJSON(): RegistryData {
    return this.data;
  }
}

function joinPath(hive: string, subKey: string): string {
  const rest = subKey.replace(/^\\+|\\+$/g, '');
  return rest === '' ? hive : `${hive}\\${rest}`;
}

function findKey(record: Record<string, unknown>, name: string): string | undefined {
  const want = name.toLowerCase();
  return Object.keys(record).find((k) => k.toLowerCase() === want);
}
