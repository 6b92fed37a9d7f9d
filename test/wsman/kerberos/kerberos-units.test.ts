/** The Kerberos pieces that need no peer: configuration, names, file formats, tokens under hostile input. */
import { parseKdcAddress, parseKrb5Conf, realmOfHost } from '../../../src/wsman/auth/kerberos/krb5-conf';
import { parsePrincipal, KerberosSession, KerberosError, parseKeytab } from '../../../src/wsman/auth/kerberos';
import { parseCcache, ccachePath } from '../../../src/wsman/auth/kerberos/ccache';
import { authenticatorTime } from '../../../src/wsman/auth/kerberos/authenticator-time';
import { readTlv, integer, readInteger } from '../../../src/wsman/auth/kerberos/der';
import { ENCTYPE } from '../../../src/wsman/auth/kerberos/crypto/aes-sha1-profile';
import { offeredSchemes } from '../../../src/wsman/client/auth/www-authenticate';

test('krb5.conf: default realm, KDCs of a realm block, domain_realm, dns_lookup_kdc', () => {
  const conf = parseKrb5Conf(
    [
      '# comment',
      '[libdefaults]',
      '  default_realm = CORP.EXAMPLE.COM',
      '  dns_lookup_kdc = false',
      '[realms]',
      '  CORP.EXAMPLE.COM = {',
      '    kdc = dc1.corp.example.com',
      '    kdc = tcp/dc2.corp.example.com:88',
      '    auth_to_local = {',
      '      kdc = not-a-kdc',
      '    }',
      '  }',
      '[domain_realm]',
      '  .corp.example.com = CORP.EXAMPLE.COM',
      '  web.other.com = OTHER.COM',
    ].join('\n'),
  );
  expect(conf.defaultRealm).toBe('CORP.EXAMPLE.COM');
  expect(conf.dnsLookupKdc).toBe(false);
  expect(conf.realmKdcs.get('CORP.EXAMPLE.COM')).toEqual(['dc1.corp.example.com', 'tcp/dc2.corp.example.com:88']);
  expect(realmOfHost(conf, 'WIN1.corp.example.com')).toBe('CORP.EXAMPLE.COM');
  expect(realmOfHost(conf, 'web.other.com')).toBe('OTHER.COM');
  expect(realmOfHost(conf, 'elsewhere.net')).toBeUndefined();
  expect(parseKdcAddress('tcp/dc2:750')).toEqual({ host: 'dc2', port: 750, transport: 'tcp' });
  expect(parseKdcAddress('[::1]:88')).toEqual({ host: '::1', port: 88 });
  expect(() => parseKdcAddress('dc:99999')).toThrow(KerberosError);
});

test('user names: user@REALM, REALM\\user, user with a default realm; none without a realm', () => {
  expect(parsePrincipal('ops@corp.example.com', undefined)).toMatchObject({ names: ['ops'], realm: 'CORP.EXAMPLE.COM' });
  expect(parsePrincipal('CORP\\ops', 'X.COM')).toMatchObject({ names: ['ops'], realm: 'CORP' });
  expect(parsePrincipal('ops', 'CORP.EXAMPLE.COM')).toMatchObject({ names: ['ops'], realm: 'CORP.EXAMPLE.COM' });
  expect(() => parsePrincipal('ops', undefined)).toThrow(/no realm/);
});

test('hostile keytab, ccache and DER give typed errors, never a crash', () => {
  for (const bytes of [
    Buffer.alloc(0),
    Buffer.from('0502', 'hex'),
    Buffer.from('050200000100ffff', 'hex'),
    Buffer.from('0502000000100001ffff', 'hex'),
  ]) {
    try {
      parseKeytab(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(KerberosError);
    }
  }
  expect(() => parseCcache(Buffer.from('0504000000000001', 'hex'))).toThrow(KerberosError);
  expect(() => parseCcache(Buffer.from('0503', 'hex'))).toThrow(/version 4/);
  expect(() => ccachePath('KEYRING:persistent:1000')).toThrow(/FILE:/);
  expect(ccachePath('FILE:/tmp/cc')).toBe('/tmp/cc');
  expect(() => readTlv(Buffer.from('3084ffffffff', 'hex'))).toThrow(KerberosError);
  for (const v of [0, 1, 127, 128, 255, 256, -1, -128, -129, 0x7fffffff, 0xffffffff, -0x80000000])
    expect(readInteger(readTlv(integer(v)).tlv)).toBe(v);
});

test('wrap tokens: a tampered, reflected or replayed token is refused', () => {
  const key = { etype: ENCTYPE.aes128, value: Buffer.alloc(16, 3) };
  const a = new KerberosSession({ role: 'initiator', key, acceptorSubkey: true, sendSeq: 5, receiveSeq: 9 });
  const b = new KerberosSession({ role: 'acceptor', key, acceptorSubkey: true, sendSeq: 9, receiveSeq: 5 });
  const token = a.wrap(Buffer.from('hello'));
  const tampered = Buffer.from(token);
  tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
  expect(() => b.unwrap(tampered)).toThrow(expect.objectContaining({ kind: 'integrity' }));
  expect(() => a.unwrap(token)).toThrow(/direction/);
  expect(b.unwrap(token).toString()).toBe('hello');
  expect(() => b.unwrap(token)).toThrow(/sequence number/);
  expect(() => b.unwrap(Buffer.from('0504'))).toThrow(KerberosError);
  const mic = b.getMic(Buffer.from('mech list'));
  a.verifyMic(mic, Buffer.from('mech list'));
});

test('authenticator times are unique within the process even in one millisecond', () => {
  const now = new Date();
  const seen = new Set(Array.from({ length: 50 }, () => JSON.stringify(authenticatorTime(now))));
  expect(seen.size).toBe(50);
});

test('WWW-Authenticate with bare schemes lists each one', () => {
  expect(offeredSchemes({ 'www-authenticate': 'Negotiate, Kerberos, Basic realm="WSMAN"' })).toEqual(['Negotiate', 'Kerberos', 'Basic']);
});

test('KDC location: the provider setting first, then krb5.conf; without either and without DNS lookups a config error', async () => {
  const { locateKdcs } = await import('../../../src/wsman/auth/kerberos/kdc-locator');
  const conf = parseKrb5Conf('[libdefaults]\n dns_lookup_kdc = false\n[realms]\n CORP = {\n  kdc = dc1:750\n }\n');
  expect(await locateKdcs('CORP', { kdcs: ['dc9'], conf, dnsTimeoutMs: 100 })).toEqual([{ host: 'dc9', port: 88 }]);
  expect(await locateKdcs('corp', { conf, dnsTimeoutMs: 100 })).toEqual([{ host: 'dc1', port: 750 }]);
  await expect(locateKdcs('OTHER', { conf, dnsTimeoutMs: 100 })).rejects.toMatchObject({
    kind: 'config',
    message: expect.stringContaining('no KDC known for realm OTHER'),
  });
});
