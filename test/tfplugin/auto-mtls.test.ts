/** The server certificate go-plugin's client must accept: self-signed CA for "localhost", server+client EKU. */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createServerCertificate } from '../../src/tfplugin/plugin/auto-mtls';
import { oid, unsignedInteger, utcTime } from '../../src/tfplugin/plugin/der';

const now = new Date('2030-06-01T12:00:00Z');
const c = createServerCertificate(now, 24 * 3600_000);
const x = new X509Certificate(c.certPem);

test('self-signed CA for the name localhost, valid around now', () => {
  expect(x.verify(x.publicKey)).toBe(true);
  expect(x.ca).toBe(true);
  expect(x.checkHost('localhost')).toBe('localhost');
  expect(x.subjectAltName).toBe('DNS:localhost');
  expect(new Date(x.validFrom).getTime()).toBeLessThan(now.getTime());
  expect(new Date(x.validTo).getTime()).toBe(now.getTime() + 24 * 3600_000);
  expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']); // Node reports the EKU here
  expect(x.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
});

test('the handshake field is the DER certificate in base64 without padding', () => {
  expect(c.handshakeField).not.toMatch(/=/);
  expect(Buffer.from(c.handshakeField, 'base64').equals(x.raw)).toBe(true);
});

test('OpenSSL reads the extensions as go-plugin writes them', () => {
  const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: c.certPem }).toString();
  expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
  expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment, Key Agreement, Certificate Sign/);
  expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
  expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
});

test('each certificate has a fresh key and serial', () => {
  const other = new X509Certificate(createServerCertificate().certPem);
  expect(other.serialNumber).not.toBe(x.serialNumber);
  expect(other.publicKey.export({ format: 'der', type: 'spki' }).equals(x.publicKey.export({ format: 'der', type: 'spki' }))).toBe(false);
});

test('DER primitives', () => {
  expect(oid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
  expect(unsignedInteger(Buffer.from([0x80])).toString('hex')).toBe('02020080');
  expect(unsignedInteger(Buffer.from([0, 0, 5])).toString('hex')).toBe('020105');
  expect(utcTime(new Date('2030-06-01T12:00:00Z')).toString('ascii', 2)).toBe('300601120000Z');
});
