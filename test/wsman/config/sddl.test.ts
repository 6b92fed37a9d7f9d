import { canonicalSddl, formatSddl, parseSddl, sddlProblem, SddlError } from '../../../src/wsman/config';

describe('SDDL', () => {
  it.each([
    'O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;IU)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)',
    'O:NSG:BAD:P(D;;GA;;;NU)(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)',
    'D:PAI(A;OICI;0x1f01ff;;;S-1-5-21-1004336348-1177238915-682003330-512)',
    'D:(OA;CI;RP;4c164200-20c0-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;AU)',
    'D:(XA;;FX;;;WD;(@User.Title=="PM"))',
    'D:NO_ACCESS_CONTROL',
    'G:DD',
  ])('parses and re-forms %s', (text) => {
    const formatted = formatSddl(parseSddl(text));
    expect(formatted.toUpperCase()).toBe(text.toUpperCase());
    expect(sddlProblem(text)).toBeUndefined();
  });

  it('reads the parts of a descriptor', () => {
    const sd = parseSddl('O:NSG:BAD:P(D;;GA;;;NU)(A;CIOI;GXGR;;;S-1-5-32-580)S:P(AU;FA;GA;;;WD)');
    expect(sd.owner).toBe('NS');
    expect(sd.dacl?.flags).toEqual(['P']);
    expect(sd.dacl?.aces[1]).toEqual({
      type: 'A',
      flags: ['CI', 'OI'],
      rights: 'GXGR',
      objectGuid: '',
      inheritObjectGuid: '',
      sid: 'S-1-5-32-580',
    });
    expect(sd.sacl?.aces[0]?.type).toBe('AU');
  });

  it.each([
    ['', /empty/],
    ['X:BA', /expected O:, G:, D: or S:/],
    ['O:BAO:BA', /more than once/],
    ['O:ZZ', /not a known SID alias/],
    ['O:S-1-5-21-99999999999', /neither a SID|sub-authority/],
    ['D:P(A;;GA;;;BA', /unterminated/],
    ['D:P(Q;;GA;;;BA)', /unknown type "Q"/],
    ['D:P(A;XX;GA;;;BA)', /unknown token "XX"/],
    ['D:P(A;;ZZ;;;BA)', /unknown token "ZZ"/],
    ['D:P(A;;;;;BA)', /no access rights/],
    ['D:P(A;;GA;;;BA;cond)', /6 fields/],
    ['D:P(A;;GA;not-a-guid;;BA)', /cannot carry/],
    ['D:P(OA;;GA;not-a-guid;;BA)', /not a GUID/],
    ['D:QQ(A;;GA;;;BA)', /unknown ACL flag/],
    ['D:P junk(A;;GA;;;BA)', /unknown ACL flag/],
  ])('refuses %j', (text, message) => {
    expect(() => parseSddl(text)).toThrow(SddlError);
    expect(sddlProblem(text)).toMatch(message);
  });

  it('compares descriptors with well-known SIDs written either way', () => {
    expect(canonicalSddl('o:nsg:bad:p(a;;ga;;;S-1-5-32-544)')).toBe(canonicalSddl('O:NSG:BAD:P(A;;GA;;;BA)'));
    expect(canonicalSddl('D:(A;;GA;;;S-1-5-2)')).toBe('D:(A;;GA;;;NU)');
  });
});
