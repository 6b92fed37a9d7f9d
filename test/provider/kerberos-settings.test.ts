/** auth = "kerberos" / "negotiate" in the provider block: validation, credentials, and no secret in errors. */
import { configProblems, hostPoolSettings } from '../../src/provider/configuration/provider-settings';
import { KerberosClient } from '../../src/wsman/auth/kerberos';
import { UNSET_PROVIDER_CONFIG } from '../support/unset-provider-config';

const silentLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  with: () => silentLog,
} as never;
const none = UNSET_PROVIDER_CONFIG;

test('kerberos settings are refused with another auth, naming the setting', () => {
  expect(configProblems({ ...none, auth: 'ntlm', kerberos_realm: 'CORP.EXAMPLE.COM' })).toEqual([
    { path: ['kerberos_realm'], message: expect.stringContaining('only with auth = "kerberos" or "negotiate"') },
  ]);
  expect(configProblems({ ...none, auth: 'kerberos', kerberos_realm: 'CORP.EXAMPLE.COM', kerberos_kdc: ['dc1.corp.example.com'] })).toEqual(
    [],
  );
});

test('kerberos builds one ticket source for every host; negotiate keeps the NTLM credentials to fall back to', () => {
  const kerberos = hostPoolSettings(
    { ...none, auth: 'kerberos', username: 'ops@CORP', kerberos_spn: 'WSMAN/{host}' },
    { PSREMOTING_PASSWORD: 's3cret' },
    silentLog,
  );
  expect(kerberos.auth).toMatchObject({ kind: 'kerberos', spn: 'WSMAN/{host}' });
  expect((kerberos.auth as { tickets: unknown }).tickets).toBeInstanceOf(KerberosClient);
  expect(kerberos.auth).not.toHaveProperty('ntlmFallback');
  expect(JSON.stringify(kerberos.auth)).not.toContain('s3cret');
  const negotiate = hostPoolSettings({ ...none, auth: 'negotiate', username: 'CORP\\ops', password: 's3cret' }, {}, silentLog);
  expect(negotiate.auth).toMatchObject({ kind: 'kerberos', ntlmFallback: { username: 'CORP\\ops', password: 's3cret' } });
});

test('kerberos without a password reads the credential cache (no error at configure time)', () => {
  expect(hostPoolSettings({ ...none, auth: 'kerberos', kerberos_ccache: 'FILE:/tmp/none' }, {}, silentLog).auth).toMatchObject({
    kind: 'kerberos',
  });
});
