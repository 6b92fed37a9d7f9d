import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
/** The session configuration resource's plan decisions, import ids and provider settings, without hosts. */
import { unknown } from '../../src/tfplugin';
import { configProblems, hostPoolSettings } from '../../src/provider/configuration/provider-settings';
import { importCommand, isBuiltinEndpoint, parseImportId } from '../../src/provider/resources/session-configuration/endpoint-identity';
import {
  configFindings,
  managedChanges,
  observedFindings,
  registeredDefaults,
  withFollowersUnknown,
} from '../../src/provider/resources/session-configuration/plan-logic';
import { silentLog } from '../../src/host';
import { errorMessage } from '../../src/common';
import { UNSET_PROVIDER_CONFIG } from '../support/unset-provider-config';

describe('configFindings', () => {
  it('names each invalid attribute by path', () => {
    const findings = configFindings({
      host: 'web1',
      name: 'ep',
      idle_timeout_sec: 10,
      output_buffering_mode: 'drop',
      max_concurrent_users: 500,
    });
    expect(findings.map((f) => f.path)).toEqual([['idle_timeout_sec'], ['max_concurrent_users'], ['output_buffering_mode']]);
    expect(findings[2]!.message).toMatch(/write it as "Drop"/);
  });
  it('skips unknown values and checks the host and the name', () => {
    expect(configFindings({ host: unknown, name: unknown, idle_timeout_sec: unknown, max_idle_timeout_sec: 60 })).toEqual([]);
    expect(configFindings({ host: 'bad host', name: 'a/b' }).map((f) => f.path)).toEqual([['host'], ['name']]);
  });
  it('checks the idle pair against the values the host (or Register) has for the unmanaged side', () => {
    expect(
      observedFindings({ idle_timeout_sec: 900 }, { ...registeredDefaults('ep'), max_idle_timeout_sec: 600 }).map((f) => f.path),
    ).toEqual([['idle_timeout_sec']]);
    expect(observedFindings({ idle_timeout_sec: 900 }, registeredDefaults('ep'))).toEqual([]);
  });
  it('waits for a value known only after apply instead of checking the unmanaged default in its place', () => {
    // idle_timeout_sec = terraform_data.x.output (600) with max 3600: Register's 7200 is not what applies.
    expect(observedFindings({ idle_timeout_sec: unknown, max_idle_timeout_sec: 3600 }, registeredDefaults('ep'))).toEqual([]);
    expect(observedFindings({ idle_timeout_sec: 600, max_idle_timeout_sec: 3600 }, registeredDefaults('ep'))).toEqual([]);
  });
});

describe('managedChanges and followers', () => {
  const prior = registeredDefaults('ep');
  it('lists only managed settings that differ, unknown ones included', () => {
    const changes = managedChanges(
      { idle_timeout_sec: prior.idle_timeout_sec, max_sessions: 5, startup_script: unknown, thread_options: null },
      prior,
    );
    expect(changes.map((c) => c.setting)).toEqual(['max_sessions', 'startup_script']);
  });
  it('plans unmanaged settings an update changes as a side effect as unknown, managed ones as configured', () => {
    const planned = {
      access_mode: 'Local',
      security_descriptor_sddl: 'O:NSG:BAD:P(A;;GA;;;BA)',
      enabled: true,
      process_idle_timeout_sec: 0,
    };
    const config = { access_mode: 'Local', security_descriptor_sddl: null, enabled: true };
    const next = withFollowersUnknown(planned, config, managedChanges(config, prior));
    expect(next).toEqual({ access_mode: 'Local', security_descriptor_sddl: unknown, enabled: true, process_idle_timeout_sec: 0 });
    expect(withFollowersUnknown(planned, config, [])).toEqual(planned);
  });
});

describe('import ids and built-in endpoints', () => {
  it('splits on the last slash, so the host may be a URL', () => {
    expect(parseImportId('web1/microsoft.powershell')).toEqual({ host: 'web1', name: 'microsoft.powershell' });
    expect(parseImportId('https://web1:5986/wsman/ep')).toEqual({ host: 'https://web1:5986/wsman', name: 'ep' });
    expect(() => parseImportId('web1')).toThrow(/<host>\/<name>/);
    expect(() => parseImportId('web1/')).toThrow(/<host>\/<name>/);
  });
  it('names the import command', () => {
    expect(importCommand('web1:5985', 'ep')).toBe("terraform import 'psremoting_session_configuration.<resource name>' 'web1:5985/ep'");
  });
  it('knows the endpoints Windows creates', () => {
    expect(
      ['Microsoft.PowerShell', 'microsoft.powershell32', 'microsoft.powershell.workflow', 'PowerShell.7', 'WMI Provider'].map(
        isBuiltinEndpoint,
      ),
    ).toEqual([true, true, true, false, true]);
    expect(isBuiltinEndpoint('tf.alpha')).toBe(false);
  });
});

describe('provider settings', () => {
  const none = UNSET_PROVIDER_CONFIG;
  it('refuses basic over plain http unless allow_unencrypted, naming the setting', () => {
    const [problem] = configProblems({ ...none, auth: 'basic' });
    expect(problem).toMatchObject({ path: ['auth'], message: expect.stringContaining('allow_unencrypted') });
    expect(configProblems({ ...none, auth: 'basic', allow_unencrypted: true })).toEqual([]);
    expect(configProblems({ ...none, auth: 'basic', allow_unencrypted: unknown })).toEqual([]);
  });
  it('reports an empty username, a user without a password and unusable PEM files at validation, once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'psr-pem-'));
    try {
      const der = join(dir, 'ca.der');
      writeFileSync(der, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
      const creds = { PSREMOTING_USERNAME: 'u', PSREMOTING_PASSWORD: 'p' };
      expect(configProblems({ ...none, username: '' }, creds).map((p) => p.path)).toEqual([['username']]);
      expect(configProblems({ ...none, username: 'ops' }, {})).toEqual([
        { path: ['password'], message: expect.stringMatching(/a password for "ops" is not set/) },
      ]);
      expect(configProblems({ ...none, ca_file: der }, creds)).toEqual([
        { path: ['ca_file'], message: expect.stringMatching(/holds no PEM block/) },
      ]);
      expect(configProblems({ ...none, ca_file: join(dir, 'missing.pem') }, creds)).toEqual([
        { path: ['ca_file'], message: expect.stringMatching(/cannot read .*ENOENT/) },
      ]);
      // nothing set anywhere: a configuration that only calls functions is fine
      expect(configProblems({ ...none }, {})).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('needs both certificate files and https for certificate auth', () => {
    expect(configProblems({ ...none, auth: 'certificate' }).map((p) => p.path)).toEqual([
      ['scheme'],
      ['client_cert_file'],
      ['client_key_file'],
    ]);
  });
  it('takes credentials from the environment and never puts the password in a message', () => {
    const settings = hostPoolSettings({ ...none }, { PSREMOTING_USERNAME: 'u', PSREMOTING_PASSWORD: 's3cret' }, silentLog);
    expect(settings).toMatchObject({
      scheme: 'http',
      auth: { kind: 'ntlm', username: 'u', password: 's3cret' },
      maxConcurrencyPerHost: 4,
      restart: 'immediate',
    });
    expect(() => hostPoolSettings({ ...none, username: 'u' }, {}, silentLog)).toThrow(/a password for "u" is not set/);
    let message = '';
    try {
      hostPoolSettings(
        { ...none, auth: 'certificate', scheme: 'https', client_cert_file: '/nonexistent/cert.pem', client_key_file: '/k' },
        { PSREMOTING_PASSWORD: 's3cret' },
        silentLog,
      );
    } catch (e) {
      message = errorMessage(e);
    }
    expect(message).toMatch(/client_cert_file: cannot read "\/nonexistent\/cert.pem": ENOENT/);
    expect(message).not.toContain('s3cret');
  });
  it('trusts the system roots plus ca_file and NODE_EXTRA_CA_CERTS (which the launcher keeps from Node)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'psr-ca-'));
    try {
      const pem = join(dir, 'extra.pem');
      writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nextra\n-----END CERTIFICATE-----\n');
      const env = { PSREMOTING_USERNAME: 'u', PSREMOTING_PASSWORD: 'p', NODE_EXTRA_CA_CERTS: pem };
      const withExtra = hostPoolSettings({ ...none }, env, silentLog).tls?.ca as unknown[];
      expect(withExtra).toHaveLength(rootCertificates.length + 1);
      expect(String(withExtra[withExtra.length - 1])).toContain('extra');
      const withCaFile = hostPoolSettings({ ...none, ca_file: pem }, { PSREMOTING_USERNAME: 'u', PSREMOTING_PASSWORD: 'p' }, silentLog).tls
        ?.ca as unknown[];
      // ca_file adds to the system's roots: a CA trusted through the system store keeps working.
      expect(withCaFile).toHaveLength(rootCertificates.length + 1);
      expect(withCaFile).toEqual(expect.arrayContaining([...rootCertificates]));
      expect(hostPoolSettings({ ...none }, { PSREMOTING_USERNAME: 'u', PSREMOTING_PASSWORD: 'p' }, silentLog).tls?.ca).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
