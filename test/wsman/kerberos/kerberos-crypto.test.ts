/** RFC 3961 n-fold and RFC 3962 AES-CTS / string-to-key, against the RFCs' own test vectors. */
import { ctsDecrypt, ctsEncrypt } from '../../../src/wsman/auth/kerberos/crypto/aes-cts';
import { ENCTYPE, decrypt, encrypt, stringToKey, usageKeys } from '../../../src/wsman/auth/kerberos/crypto/aes-sha1-profile';
import { nfold } from '../../../src/wsman/auth/kerberos/crypto/nfold';
import { KerberosError } from '../../../src/wsman/auth/kerberos/kerberos-error';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

test.each([
  ['012345', 64, 'be072631276b1955'],
  ['password', 56, '78a07b6caf85fa'],
  ['Rough Consensus, and Running Code', 64, 'bb6ed30870b7f0e0'],
  ['password', 168, '59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e'],
  ['MASSACHVSETTS INSTITVTE OF TECHNOLOGY', 192, 'db3b0d8f0b061e603282b308a50841229ad798fab9540c1b'],
  ['Q', 168, '518a54a215a8452a518a54a215a8452a518a54a215'],
  ['ba', 168, 'fb25d531ae8974499f52fd92ea9857c4ba24cf297e'],
  ['kerberos', 64, '6b65726265726f73'],
  ['kerberos', 128, '6b65726265726f737b9b5b2b93132b93'],
  ['kerberos', 168, '8372c236344e5f1550cd0747e15d62ca7a5a3bcea4'],
  ['kerberos', 256, '6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4'],
])('RFC 3961 A.1: "%s" folded to %i bits', (input, bits, expected) => {
  expect(nfold(Buffer.from(input, 'ascii'), bits / 8).toString('hex')).toBe(expected);
});

describe('RFC 3962 Appendix B: AES-CTS with key "chicken teriyaki", IV 0', () => {
  const key = Buffer.from('chicken teriyaki', 'ascii');
  const iv = Buffer.alloc(16);
  const text = hex(
    '4920776f756c64206c696b652074686520 47656e6572616c20476175277320436869636b656e2c20706c656173652c20616e6420776f6e746f6e20736f75702e',
  );
  test.each([
    [17, 'c6353568f2bf8cb4d8a580362da7ff7f97'],
    [31, 'fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5'],
    [32, '39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584'],
    [47, '97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5'],
    [48, '97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8'],
    [
      64,
      '97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8',
    ],
  ])('%i bytes', (length, expected) => {
    const plain = text.subarray(0, length);
    expect(ctsEncrypt(key, iv, plain).toString('hex')).toBe(expected);
    expect(ctsDecrypt(key, iv, hex(expected))).toEqual(plain);
  });
});

describe('RFC 3962 Appendix B: string-to-key', () => {
  test.each([
    [
      1,
      'password',
      'ATHENA.MIT.EDUraeburn',
      '42263c6e89f4fc28b8df68ee09799f15',
      'fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161',
    ],
    [
      2,
      'password',
      'ATHENA.MIT.EDUraeburn',
      'c651bf29e2300ac27fa469d693bdda13',
      'a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff',
    ],
    [
      1200,
      'password',
      'ATHENA.MIT.EDUraeburn',
      '4c01cd46d632d01e6dbe230a01ed642a',
      '55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff16280382b8c2a',
    ],
  ])('%i iterations', (iterations, password, salt, aes128, aes256) => {
    const params = Buffer.alloc(4);
    params.writeUInt32BE(iterations);
    expect(stringToKey(ENCTYPE.aes128, password, salt, params).value.toString('hex')).toBe(aes128);
    expect(stringToKey(ENCTYPE.aes256, password, salt, params).value.toString('hex')).toBe(aes256);
  });

  test('a hostile iteration count is refused before any work', () => {
    expect(() => stringToKey(ENCTYPE.aes256, 'p', 's', hex('00000000'))).toThrow(KerberosError);
    expect(() => stringToKey(ENCTYPE.aes256, 'p', 's', hex('ffffffff'))).toThrow(/iteration count/);
  });
});

test('encrypt/decrypt round trip; a flipped bit fails the integrity check', () => {
  const keys = usageKeys({ etype: ENCTYPE.aes256, value: hex('fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161') }, 24);
  for (const size of [0, 1, 15, 16, 17, 100]) {
    const plain = Buffer.alloc(size, 0x41);
    const c = encrypt(keys, plain);
    expect(decrypt(keys, c)).toEqual(plain);
    c.writeUInt8(c.readUInt8(c.length - 13) ^ 1, c.length - 13);
    expect(() => decrypt(keys, c)).toThrow(expect.objectContaining({ kind: 'integrity' }));
  }
});
