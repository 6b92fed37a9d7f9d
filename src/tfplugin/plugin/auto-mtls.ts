/**
 * go-plugin AutoMTLS, server side: a fresh EC P-256 key and a self-signed certificate that the client
 * (terraform) trusts as its own root for the name "localhost". Built with node:crypto and a small DER
 * writer: about a millisecond, versus hundreds for RSA keygen in JS libraries.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { certificatePem } from '../binary/pem';
import * as der from './der';

export interface ServerCertificate {
  /** PEM, for the TLS server. */
  certPem: string;
  keyPem: string;
  /** Base64 of the DER certificate without padding: the sixth field of the handshake line. */
  handshakeField: string;
}

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

// KeyUsage bits (RFC 5280 order) digitalSignature(0), keyEncipherment(2), keyAgreement(4), keyCertSign(5),
// as go-plugin sets them; packed MSB-first into one byte with its two unused low bits declared.
const KEY_USAGE = Buffer.of(0b10101100);

const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));

export function createServerCertificate(now = new Date(), lifetimeMs = 30 * 24 * 3600_000): ServerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = der.sequence(
    der.set(der.sequence(der.oid(OID.organization), der.utf8String('HashiCorp'))),
    der.set(der.sequence(der.oid(OID.commonName), der.utf8String('localhost'))),
  );
  const signatureAlgorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = der.sequence(
    der.contextTag(0, der.unsignedInteger(Buffer.of(2)), true), // v3
    der.unsignedInteger(serial),
    signatureAlgorithm,
    name,
    der.sequence(der.utcTime(new Date(now.getTime() - 60_000)), der.utcTime(new Date(now.getTime() + lifetimeMs))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der.contextTag(
      3,
      der.sequence(
        extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
        extension(OID.keyUsage, true, der.bitString(KEY_USAGE, 2)),
        extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth), der.oid(OID.clientAuth))),
        extension(OID.subjectAltName, false, der.sequence(der.contextTag(2, Buffer.from('localhost', 'ascii'), false))),
      ),
      true,
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
  return {
    certPem: certificatePem(cert),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    handshakeField: cert.toString('base64').replace(/=+$/, ''),
  };
}
