import {
  mergeWinrsConfig,
  parseServiceConfig,
  parseWinrmConfig,
  parseWinrsConfig,
  writeWinrmConfig,
  writeWinrsConfig,
} from '../../../src/wsman/config';
import { NS, parseXml, XmlError } from '../../../src/wsman/xml';
import { DEFAULT_CONFIG } from '../../support/config-documents';
import { shape } from '../../support/config-structure';
import { validateServiceConfig, validateWinrmConfig, validateWinrsConfig } from '../../../src/wsman/server';

describe('cfg:Config', () => {
  it('reads the recorded default configuration into typed parts', () => {
    const c = parseWinrmConfig(DEFAULT_CONFIG);
    expect(c.maxEnvelopeSizekb).toBe('150');
    expect(c.client?.auth?.digest).toBe('true');
    expect(c.client?.trustedHosts).toBe('');
    expect(c.service?.rootSddl).toBe('O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)');
    expect(c.service?.auth?.cbtHardeningLevel).toBe('Relaxed');
    expect(c.service?.defaultPorts?.https).toBe('5986');
    expect(c.service?.ipv4Filter).toBe('*');
    expect(c.winrs?.maxShellsPerUser).toBe('2147483647');
    expect(c.winrs?.idleTimeout).toBe('7200000');
  });

  it('writes it back structurally identical, with the cfg prefix, as a fixed point', () => {
    const once = writeWinrmConfig(parseWinrmConfig(DEFAULT_CONFIG));
    expect(once.startsWith(`<cfg:Config xmlns:cfg="${NS.cfg}"><cfg:MaxEnvelopeSizekb>150<`)).toBe(true);
    expect(shape(parseXml(once))).toEqual(shape(parseXml(DEFAULT_CONFIG)));
    expect(writeWinrmConfig(parseWinrmConfig(once))).toBe(once);
  });

  it('keeps unknown children and leaf attributes such as Source="GPO"', () => {
    const doc = DEFAULT_CONFIG.replace('<cfg:AllowRemoteShellAccess>', '<cfg:AllowRemoteShellAccess Source="GPO">').replace(
      '</cfg:Winrs>',
      '<cfg:MaxShellsPerUserPerHost>3</cfg:MaxShellsPerUserPerHost></cfg:Winrs>',
    );
    const c = parseWinrmConfig(doc);
    expect(c.winrs?.leafAttributes['AllowRemoteShellAccess']?.[0]?.value).toBe('GPO');
    expect(c.winrs?.extra.elements.map((e) => e.local)).toEqual(['MaxShellsPerUserPerHost']);
    expect(shape(parseXml(writeWinrmConfig(c)))).toEqual(shape(parseXml(doc)));
  });

  it('refuses other roots and elements where a value belongs', () => {
    expect(() => parseWinrsConfig(DEFAULT_CONFIG)).toThrow(XmlError);
    expect(() => parseWinrsConfig(`<cfg:Winrs xmlns:cfg="${NS.cfg}"><cfg:IdleTimeout><cfg:X/></cfg:IdleTimeout></cfg:Winrs>`)).toThrow(
      /must hold a value/,
    );
  });

  it('accepts the recorded default configuration', () => {
    expect(validateWinrmConfig(parseWinrmConfig(DEFAULT_CONFIG))).toEqual([]);
  });
});

describe('Put of a configuration part', () => {
  const winrsPut = (body: string) => parseWinrsConfig(`<cfg:Winrs xmlns:cfg="${NS.cfg}">${body}</cfg:Winrs>`);

  it('overlays only the values the part carries', () => {
    const base = parseWinrmConfig(DEFAULT_CONFIG).winrs!;
    const merged = mergeWinrsConfig(base, winrsPut('<cfg:MaxShellsPerUser>50</cfg:MaxShellsPerUser>'));
    expect(merged.maxShellsPerUser).toBe('50');
    expect(merged.idleTimeout).toBe('7200000');
    expect(base.maxShellsPerUser).toBe('2147483647');
    expect(writeWinrsConfig(merged)).toContain('<cfg:MaxShellsPerUser>50</cfg:MaxShellsPerUser>');
  });

  it('reports bad winrs values with the element path', () => {
    const f = validateWinrsConfig(
      winrsPut(
        '<cfg:IdleTimeout>999</cfg:IdleTimeout><cfg:MaxShellsPerUser>0</cfg:MaxShellsPerUser><cfg:AllowRemoteShellAccess>maybe</cfg:AllowRemoteShellAccess>',
      ),
    );
    expect(f.map((x) => x.path)).toEqual(['Winrs/AllowRemoteShellAccess', 'Winrs/IdleTimeout', 'Winrs/MaxShellsPerUser']);
    expect(f.every((x) => x.fault === 'SchemaValidationError')).toBe(true);
  });

  it('reports bad service values, SDDL syntax and enumerations included', () => {
    const svc = parseServiceConfig(
      `<cfg:Service xmlns:cfg="${NS.cfg}"><cfg:RootSDDL>O:NSG:BAD:P(A;;GA;;BA)</cfg:RootSDDL><cfg:Auth><cfg:CbtHardeningLevel>relaxed</cfg:CbtHardeningLevel></cfg:Auth><cfg:DefaultPorts><cfg:HTTP>70000</cfg:HTTP></cfg:DefaultPorts></cfg:Service>`,
    );
    const f = validateServiceConfig(svc);
    expect(f.map((x) => x.path)).toEqual(['Service/RootSDDL', 'Service/Auth/CbtHardeningLevel', 'Service/DefaultPorts/HTTP']);
    expect(f[0]?.message).toMatch(/6 fields/);
  });
});
