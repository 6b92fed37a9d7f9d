/** PEM armour for one X.509 certificate: base64 of the DER bytes in 64-character lines. */

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

export function certificatePem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `${BEGIN}\n${b64.replace(/.{1,64}/g, '$&\n')}${END}\n`;
}

/** The DER bytes of the first certificate in a PEM text (compared byte for byte, no X.509 parsing). */
export function certificateDer(pem: string): Buffer | undefined {
  const start = pem.indexOf(BEGIN);
  const end = start < 0 ? -1 : pem.indexOf(END, start);
  return end < 0 ? undefined : Buffer.from(pem.slice(start + BEGIN.length, end).replace(/\s+/g, ''), 'base64');
}
