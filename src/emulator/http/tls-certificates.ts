/**
 * A throwaway CA and a server certificate for 127.0.0.1/localhost it signs, for `--tls`. The CA PEM is
 * written to a file clients are pointed at (`ca_file`); keys never leave the process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  readonly caFile: string;
  readonly key: string;
  readonly cert: string;
}

export async function createTlsMaterial(dir: string): Promise<TlsMaterial> {
  // Both certificates: a P-256 key, SHA-256 signatures, valid for 30 days.
  const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notAfterDate: new Date(Date.now() + 30 * 86_400_000) } as const;
  const ca = await generate([{ name: 'commonName', value: 'psremoting emulator CA' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const caFile = path.join(dir, 'emulator-ca.pem');
  fs.writeFileSync(caFile, ca.cert, { mode: 0o644 });
  return { caFile, key: server.private, cert: server.cert };
}
