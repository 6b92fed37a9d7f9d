import { md4 } from '../../src/wsman/auth/ntlm/md4';
import { Rc4, rc4 } from '../../src/wsman/auth/ntlm/rc4';

describe('MD4 (RFC 1320 test suite)', () => {
  it.each([
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ])('md4(%j)', (input, hex) => expect(md4(Buffer.from(input)).toString('hex')).toBe(hex));
});

describe('RC4', () => {
  it.each([
    ['Key', 'Plaintext', 'bbf316e8d940af0ad3'],
    ['Wiki', 'pedia', '1021bf0420'],
    ['Secret', 'Attack at dawn', '45a01f645fc35b383552544b9bf5'],
  ])('key %j encrypts %j', (key, text, hex) => expect(rc4(Buffer.from(key), Buffer.from(text)).toString('hex')).toBe(hex));

  it('keeps its keystream across calls', () => {
    const r = new Rc4(Buffer.from('Secret'));
    const parts = Buffer.concat([r.update(Buffer.from('Attack')), r.update(Buffer.from(' at dawn'))]);
    expect(parts.toString('hex')).toBe('45a01f645fc35b383552544b9bf5');
  });
});
