/**
 * From the provider block to the host pool's settings: cross-attribute checks (also at validate time,
 * on whatever is known), environment fallbacks for the credentials, and the PEM files read. Messages
 * name settings and file paths, never a secret.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { HostLog, HostPoolSettings, Scheme } from '../../host';
import { basicAuthorization, type WsmanAuth } from '../../wsman';
import { isUnknown, rememberSecret, type AttributePath, type Config, type Unknown } from '../../tfplugin';
import { DEFAULTS, KERBEROS_SETTINGS, providerSchema } from './provider-schema';
import { kerberosAuth } from './kerberos-settings';
import { errorCode, errorMessage } from '../../common';

export type ProviderConfig = Config<typeof providerSchema>;

export interface ConfigProblem {
  readonly message: string;
  readonly path: AttributePath;
}

const known = <V>(v: V): Exclude<V, null | Unknown> | undefined =>
  v === null || isUnknown(v) ? undefined : (v as Exclude<V, null | Unknown>);

/**
 * Checks across attributes, the credentials and the PEM files, run once by the provider's validation (and
 * again before the first host is reached); an attribute still unknown is assumed fine until it is known.
 * Credentials missing altogether are reported only when a host is used: a configuration that only calls
 * functions needs none.
 */
export function configProblems(config: ProviderConfig, env: NodeJS.ProcessEnv = process.env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const auth = isUnknown(config.auth) ? undefined : (config.auth ?? DEFAULTS.auth);
  const scheme = isUnknown(config.scheme) ? undefined : (config.scheme ?? DEFAULTS.scheme);
  const allowUnencrypted = isUnknown(config.allow_unencrypted) ? undefined : (config.allow_unencrypted ?? false);
  if (auth === 'basic' && scheme === 'http' && allowUnencrypted === false) {
    problems.push({
      path: ['auth'],
      message:
        'auth = "basic" over http would send the password in clear: use scheme = "https", or set allow_unencrypted = true (the host must then also allow unencrypted traffic).',
    });
  }
  if (auth === 'certificate') {
    if (scheme === 'http')
      problems.push({
        path: ['scheme'],
        message: 'auth = "certificate" needs scheme = "https": a client certificate is presented in the TLS handshake.',
      });
    for (const name of ['client_cert_file', 'client_key_file'] as const) {
      if (config[name] === null) problems.push({ path: [name], message: `auth = "certificate" needs ${name}.` });
    }
  } else if (auth !== undefined) {
    for (const name of ['client_cert_file', 'client_key_file'] as const) {
      if (known(config[name]) !== undefined)
        problems.push({ path: [name], message: `${name} is used only with auth = "certificate" (auth is "${auth}").` });
    }
    problems.push(...credentialProblems(config, env));
  }
  for (const name of ['ca_file', 'client_cert_file', 'client_key_file'] as const) {
    const path = known(config[name]);
    const problem = path === undefined ? undefined : pemFileProblem(path, name);
    if (problem) problems.push({ path: [name], message: problem });
  }
  if (auth !== undefined && auth !== 'kerberos' && auth !== 'negotiate') {
    for (const name of KERBEROS_SETTINGS) {
      if (known(config[name]) !== undefined)
        problems.push({ path: [name], message: `${name} is used only with auth = "kerberos" or "negotiate" (auth is "${auth}").` });
    }
  }
  return problems;
}

/** An empty username, or a user without a password (in the block or the environment). */
function credentialProblems(config: ProviderConfig, env: NodeJS.ProcessEnv): ConfigProblem[] {
  if (isUnknown(config.username) || isUnknown(config.password)) return [];
  if (config.username === '')
    return [
      {
        path: ['username'],
        message: 'username is empty: give the user (user, DOMAIN\\user or user@domain), or leave it unset to use PSREMOTING_USERNAME.',
      },
    ];
  const username = config.username ?? env.PSREMOTING_USERNAME ?? '';
  const password = config.password ?? env.PSREMOTING_PASSWORD ?? '';
  if (username !== '' && password === '') {
    return [
      {
        path: ['password'],
        message: `a password for "${username}" is not set: set password in the provider block or PSREMOTING_PASSWORD.`,
      },
    ];
  }
  return [];
}

/** Why a PEM file setting is unusable (unreadable, or no PEM block in it), or undefined. */
function pemFileProblem(path: string, setting: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    return `${setting}: cannot read "${path}": ${errorCode(e) ?? errorMessage(e)}`;
  }
  return /-----BEGIN [A-Z0-9 ]+-----/.test(text)
    ? undefined
    : `${setting}: "${path}" holds no PEM block (a "-----BEGIN …-----" line); give a PEM file, not DER or PKCS#12.`;
}

/** Whether every attribute is known (terraform may configure a provider before values it depends on exist). */
export function isWhollyKnownConfig(config: ProviderConfig): boolean {
  return Object.values(config).every((v) => !isUnknown(v));
}

export class ProviderSettingsError extends Error {
  constructor(
    message: string,
    readonly path?: AttributePath,
  ) {
    super(message);
    this.name = 'ProviderSettingsError';
  }
}

function readPem(path: string, setting: string): Buffer {
  const problem = pemFileProblem(path, setting);
  if (problem) throw new ProviderSettingsError(problem, [setting]);
  return readFileSync(path);
}

/**
 * ca_file adds to the trusted roots (a host's own CA next to the system's), as does NODE_EXTRA_CA_CERTS:
 * the provider's launcher keeps that variable from slowing Node's start-up, so Node itself no longer adds
 * those certificates and they are added here, where HTTPS needs them. Setting `ca` replaces Node's
 * default roots, so the system roots are listed with them.
 */
function trustedCas(caFile: string | undefined, env: NodeJS.ProcessEnv): { ca?: Array<string | Buffer> } {
  const extra = [
    ...(caFile !== undefined ? [readPem(caFile, 'ca_file')] : []),
    ...(env.NODE_EXTRA_CA_CERTS ? [readPem(env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS')] : []),
  ];
  return extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {};
}

function credentials(config: ProviderConfig, env: NodeJS.ProcessEnv): { username: string; password: string } {
  const username = known(config.username) ?? env.PSREMOTING_USERNAME ?? '';
  const password = known(config.password) ?? env.PSREMOTING_PASSWORD ?? '';
  if (username === '')
    throw new ProviderSettingsError('username is not set: set it in the provider block or in PSREMOTING_USERNAME.', ['username']);
  if (password === '')
    throw new ProviderSettingsError('password is not set: set it in the provider block or in PSREMOTING_PASSWORD.', ['password']);
  // Masked in every log line and diagnostic, also as the Basic token a host or proxy may echo back
  // (the password from the environment never passed the schema's sensitive attribute).
  rememberSecret(password);
  rememberSecret(basicAuthorization({ kind: 'basic', username, password }).slice('Basic '.length));
  return { username, password };
}

/** The scheme, and the port if set, that hosts given as a name or name:port take. */
export function hostAddressing(config: ProviderConfig): Pick<HostPoolSettings, 'scheme' | 'port'> {
  const port = known(config.port);
  return { scheme: (known(config.scheme) ?? DEFAULTS.scheme) as Scheme, ...(port !== undefined ? { port } : {}) };
}

/** The pool settings of a wholly known configuration; throws ProviderSettingsError naming the setting. */
export function hostPoolSettings(config: ProviderConfig, env: NodeJS.ProcessEnv, log: HostLog): HostPoolSettings {
  const [problem] = configProblems(config, env);
  if (problem) throw new ProviderSettingsError(problem.message, problem.path);
  const allowUnencrypted = known(config.allow_unencrypted) ?? false;
  let auth: WsmanAuth;
  switch (known(config.auth) ?? DEFAULTS.auth) {
    case 'certificate':
      auth = {
        kind: 'certificate',
        cert: readPem(known(config.client_cert_file)!, 'client_cert_file'),
        key: readPem(known(config.client_key_file)!, 'client_key_file'),
      };
      break;
    case 'basic':
      auth = { kind: 'basic', ...credentials(config, env), allowUnencrypted };
      break;
    case 'kerberos':
    case 'negotiate': {
      // Credentials in this order: the password, else kerberos_keytab, else the credential cache.
      // Negotiate falls back to NTLM only with a username and password to give it.
      const principal = known(config.username) ?? env.PSREMOTING_USERNAME;
      const password = known(config.password) ?? env.PSREMOTING_PASSWORD;
      auth = kerberosAuth(
        {
          principal,
          password,
          keytab: known(config.kerberos_keytab),
          ccache: known(config.kerberos_ccache),
          realm: known(config.kerberos_realm),
          kdcs: known(config.kerberos_kdc)?.filter((k): k is string => typeof k === 'string'),
          spn: known(config.kerberos_spn),
          ntlm: known(config.auth) === 'negotiate' && principal && password ? { username: principal, password } : undefined,
        },
        env,
      );
      break;
    }
    default:
      // NTLM always seals its messages over http: allow_unencrypted never weakens it.
      auth = { kind: 'ntlm', ...credentials(config, env) };
  }
  const caFile = known(config.ca_file);
  return {
    ...hostAddressing(config),
    auth,
    tls: { ...trustedCas(caFile, env), insecureSkipVerify: known(config.insecure_skip_verify) ?? false },
    operationTimeoutMs: (known(config.operation_timeout_sec) ?? DEFAULTS.operationTimeoutSec) * 1000,
    restartTimeoutMs: (known(config.restart_timeout_sec) ?? DEFAULTS.restartTimeoutSec) * 1000,
    restart: (known(config.restart) ?? DEFAULTS.restart) as HostPoolSettings['restart'],
    maxConcurrencyPerHost: known(config.max_concurrency_per_host) ?? DEFAULTS.maxConcurrencyPerHost,
    log,
  };
}
