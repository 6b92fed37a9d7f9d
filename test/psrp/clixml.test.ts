import fc from 'fast-check';
import {
  PsObject,
  PsScalar,
  decodeCliString,
  deserializeClixml,
  encodeCliString,
  psDictionary,
  psList,
  readErrorRecord,
  serializeClixml,
  toPlain,
  toPsValue,
  DEFAULT_CLIXML_LIMITS,
} from '../../src/psrp';
import { kindOf } from '../support/error-kind';

describe('CLIXML strings', () => {
  it('escapes controls, surrogates and a literal _x as .NET does', () => {
    expect(encodeCliString('a\r\nb')).toBe('a_x000D__x000A_b');
    expect(encodeCliString('😀')).toBe('_xD83D__xDE00_');
    expect(encodeCliString('_x0041_ and _y')).toBe('_x005F_x0041_ and _y');
    expect(decodeCliString('_x000D__x000A_ _xD83D__xDE00_')).toBe('\r\n 😀');
  });
  it('round-trips any string through S', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => expect(deserializeClixml(serializeClixml(s))).toBe(s)));
  });
});

describe('CLIXML values', () => {
  it('reads every primitive tag', () => {
    const cases: Array<[string, unknown]> = [
      ['<S>x &amp; y</S>', 'x & y'],
      ['<B>true</B>', true],
      ['<I32>-5</I32>', -5],
      ['<U16>65535</U16>', 65535],
      ['<By>255</By>', 255],
      ['<SB>-128</SB>', -128],
      ['<I16>-2</I16>', -2],
      ['<U32>4294967295</U32>', 4294967295],
      ['<I64>9223372036854775807</I64>', 9223372036854775807n],
      ['<U64>18446744073709551615</U64>', 18446744073709551615n],
      ['<Db>1.5E+300</Db>', 1.5e300],
      ['<Sg>-INF</Sg>', -Infinity],
      ['<Nil />', null],
    ];
    for (const [xml, want] of cases) expect(deserializeClixml(xml)).toEqual(want);
    expect(deserializeClixml('<BA>AQID</BA>')).toEqual(Buffer.from([1, 2, 3]));
    for (const tag of ['DT', 'TS', 'G', 'URI', 'Version', 'XD', 'SBK', 'SS', 'D']) {
      const v = deserializeClixml(`<${tag}>v_x000A_</${tag}>`);
      expect(v).toBeInstanceOf(PsScalar);
      expect((v as PsScalar).tag).toBe(tag);
    }
    expect(String(deserializeClixml('<C>97</C>'))).toBe('a');
    expect(String(deserializeClixml('<SBK>a_x000A_b</SBK>'))).toBe('a\nb');
  });

  it('reads objects with TN/TNRef, Props, MS, containers, enums and Refs', () => {
    const xml =
      '<Obj RefId="0"><TN RefId="0"><T>Deserialized.System.Collections.Hashtable</T><T>Deserialized.System.Object</T></TN><DCT>' +
      '<En><S N="Key">list</S><Obj N="Value" RefId="1"><TN RefId="1"><T>System.Object[]</T></TN><LST><I32>1</I32><Ref RefId="2x" /></LST></Obj></En>' +
      '</DCT></Obj>';
    expect(kindOf(() => deserializeClixml(xml))).toBe('clixml');
    const ok =
      '<Obj RefId="0"><TN RefId="0"><T>T1</T><T>System.Object</T></TN><ToString>s</ToString><Props><S N="P">p</S></Props><MS><Obj N="E" RefId="1"><TN RefId="1"><T>Some.Enum</T><T>System.Enum</T></TN><ToString>Second</ToString><I32>2</I32></Obj>' +
      '<Obj N="L" RefId="2"><TNRef RefId="0" /><LST><Ref RefId="1" /><S>x</S></LST></Obj><Obj N="D" RefId="3"><DCT><En><S N="Key">k</S><I32 N="Value">1</I32></En></DCT></Obj></MS></Obj>';
    const v = deserializeClixml(ok) as PsObject;
    expect(v.typeNames).toEqual(['T1', 'System.Object']);
    expect(v.toString()).toBe('s');
    expect(v.get('P')).toBe('p');
    const e = v.get('E') as PsObject;
    expect([e.toString(), e.value]).toEqual(['Second', 2]);
    const l = v.get('L') as PsObject;
    expect(l.typeNames).toEqual(['T1', 'System.Object']);
    expect(l.items[0]).toBe(e);
    expect(toPlain(v.get('D'))).toEqual({ k: 1 });
  });

  it('writes what PowerShell writes and reads it back', () => {
    const shared = psList(['a', 'b']);
    const value = psDictionary([
      ['n', 1],
      ['big', 5n],
      ['d', 1.25],
      ['one', shared],
      ['two', shared],
    ]);
    const xml = serializeClixml(value);
    expect(xml).toContain('<TN RefId="0"><T>System.Collections.Hashtable</T><T>System.Object</T></TN>');
    expect(xml).toContain('<Ref N="Value" RefId="1" />');
    expect(toPlain(deserializeClixml(xml))).toEqual({ n: 1, big: 5, d: 1.25, one: ['a', 'b'], two: ['a', 'b'] });
    expect(serializeClixml(toPsValue({ a: 'b' }))).toBe(
      '<Obj RefId="0"><TN RefId="0"><T>System.Collections.Hashtable</T><T>System.Object</T></TN><DCT><En><S N="Key">a</S><S N="Value">b</S></En></DCT></Obj>',
    );
    expect(serializeClixml(toPsValue(['a', 'b']))).toBe(
      '<Obj RefId="0"><TN RefId="0"><T>System.Object[]</T><T>System.Array</T><T>System.Object</T></TN><LST><S>a</S><S>b</S></LST></Obj>',
    );
  });

  it('reads an ErrorRecord as PowerShell shows it', () => {
    const xml =
      '<Obj RefId="0"><TN RefId="0"><T>System.Management.Automation.ErrorRecord</T></TN><ToString>nope</ToString><MS><Obj N="Exception" RefId="1"><TN RefId="1"><T>System.Management.Automation.ItemNotFoundException</T></TN><Props><S N="Message">nope</S></Props></Obj>' +
      '<S N="FullyQualifiedErrorId">PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand</S><I32 N="ErrorCategory_Category">13</I32><S N="ErrorCategory_Activity">Get-Item</S><S N="ErrorCategory_Reason">ItemNotFoundException</S><S N="ErrorCategory_TargetName">/x</S><S N="ErrorCategory_TargetType">String</S></MS></Obj>';
    const r = readErrorRecord(deserializeClixml(xml));
    expect(r.message).toBe('nope');
    expect(r.category).toMatchObject({ name: 'ObjectNotFound', line: 'ObjectNotFound: (/x:String) [Get-Item], ItemNotFoundException' });
    expect(r.exceptionType).toBe('System.Management.Automation.ItemNotFoundException');
  });
});

describe('hostile CLIXML', () => {
  it('refuses DTDs, entities, processing instructions and malformed XML', () => {
    expect(kindOf(() => deserializeClixml('<!DOCTYPE x [<!ENTITY a "aaaa">]><S>&a;</S>'))).toBe('clixml');
    expect(kindOf(() => deserializeClixml('<S>&xxe;</S>'))).toBe('clixml');
    expect(kindOf(() => deserializeClixml('<?pi x?><S/>'))).toBe('clixml');
    expect(kindOf(() => deserializeClixml('<S>unclosed'))).toBe('clixml');
    expect(kindOf(() => deserializeClixml('<Bogus/>'))).toBe('clixml');
    expect(kindOf(() => deserializeClixml('<I32>99999999999</I32>'))).toBe('clixml');
    expect(kindOf(() => deserializeClixml('<B>yes</B>'))).toBe('clixml');
    expect(kindOf(() => deserializeClixml('<Obj RefId="0"><MS><Ref N="self" RefId="0" /></MS></Obj>'))).toBe('clixml');
  });

  it('bounds depth, size and the values Refs expand to', () => {
    const deep = '<Obj><LST>'.repeat(200) + '</LST></Obj>'.repeat(200);
    expect(kindOf(() => deserializeClixml(deep))).toBe('limit');
    expect(kindOf(() => deserializeClixml(`<S>${'a'.repeat(1000)}</S>`, { ...DEFAULT_CLIXML_LIMITS, maxChars: 100 }))).toBe('limit');
    // Each level refers to the previous one twice: 40 levels would stand for 2^40 values.
    let xml = '<Obj RefId="0"><LST><S>x</S><S>x</S></LST></Obj>';
    for (let i = 1; i < 40; i += 1) xml += `<Obj RefId="${i}"><LST><Ref RefId="${i - 1}" /><Ref RefId="${i - 1}" /></LST></Obj>`;
    expect(kindOf(() => deserializeClixml(`<Obj RefId="top"><LST>${xml}</LST></Obj>`))).toBe('limit');
  });
});
