import { parseCliArgs } from '../../src/emulator/cli-args';
import { ClientCertificates } from '../../src/emulator/http/client-certificates';
import { startEmulator } from '../../src/emulator';
import { makeTestPki } from '../support/test-certificates';

/** The options and validation of client certificate authentication (the handshake itself: test/integration/powershell-session-certificate.test.ts). */
const THUMB = 'AB'.repeat(20);
const users = [{ name: 'ops', password: 'x' }];

test('--client-ca and --cert-mapping are repeatable; a mapping is SUBJECT:ISSUER_THUMBPRINT:USER', () => {
  expect(
    parseCliArgs(['--tls', '--client-ca', 'a.pem', '--client-ca', 'b.pem', '--cert-mapping', `ops@*:${THUMB.toLowerCase()}:ops`]),
  ).toEqual({
    tls: true,
    clientCaFiles: ['a.pem', 'b.pem'],
    certMappings: [{ subject: 'ops@*', issuer: THUMB.toLowerCase(), userName: 'ops' }],
  });
  expect(() => parseCliArgs(['--cert-mapping', 'ops@win1:1234:ops'])).toThrow('--cert-mapping takes SUBJECT:ISSUER_THUMBPRINT:USER');
});

test('client certificates need TLS', async () => {
  await expect(startEmulator({ certMappings: [{ subject: 'ops', issuer: THUMB, userName: 'ops' }], log: () => undefined })).rejects.toThrow(
    'client certificates need --tls',
  );
});

test('a mapping is refused for a bad subject pattern or thumbprint or an unknown account; thumbprints are kept upper-case', () => {
  const certs = new ClientCertificates([], [], users);
  for (const subject of ['', 'a*b', '*a*'])
    expect(() => certs.addMapping({ subject, issuer: THUMB, userName: 'ops' })).toThrow('at most one *, first or last');
  expect(() => certs.addMapping({ subject: 'ops', issuer: 'AB', userName: 'ops' })).toThrow('SHA-1 thumbprint');
  expect(() => certs.addMapping({ subject: 'ops', issuer: THUMB, userName: 'eve' })).toThrow('eve is not an account');
  expect(certs.addMapping({ subject: '*@win1', issuer: THUMB.toLowerCase(), userName: 'OPS' }).mappings).toEqual([
    { subject: '*@win1', issuer: THUMB, userName: 'OPS', enabled: true },
  ]);
});

test('only a CA certificate is trusted, once', () => {
  const pki = makeTestPki();
  const certs = new ClientCertificates([pki.caCert, pki.caCert], [], users);
  expect(certs.describe().cas).toHaveLength(1);
  expect(() => certs.trust(pki.clientCert)).toThrow('is not a CA certificate');
  expect(() => certs.trust('not a certificate')).toThrow('client CA is not a PEM certificate');
});
