/** The provider block: how to reach and authenticate to every host, and how restarts are handled. */
import { attr, defineSchema, integer, integerBetween, oneOf, t } from '../../tfplugin';

const AUTH_KINDS = ['ntlm', 'basic', 'certificate', 'kerberos', 'negotiate'] as const;
/** The settings that only auth = "kerberos" and "negotiate" read. */
export const KERBEROS_SETTINGS = ['kerberos_realm', 'kerberos_kdc', 'kerberos_spn', 'kerberos_keytab', 'kerberos_ccache'] as const;
const RESTART_POLICIES = ['immediate', 'never'] as const;

/**
 * A ceiling well below what a host allows by default (winrs MaxShellsPerUser 2147483647 on Windows Server
 * 2012 and later, 30 on 2008 R2, 5 before; MaxConcurrentOperationsPerUser 1500), leaving room for the
 * user's other clients; a host configured lower is read and respected (src/host/host.ts shellSemaphore).
 */
const MAX_CONCURRENCY_LIMIT = 29;

export const DEFAULTS = {
  auth: 'ntlm',
  scheme: 'http',
  restart: 'immediate',
  restartTimeoutSec: 300,
  operationTimeoutSec: 60,
  maxConcurrencyPerHost: 4,
} as const;

export const providerSchema = defineSchema({
  description:
    'Manages PowerShell remoting session configurations (WinRM plugins) and remote commands on Windows hosts over WS-Management.',
  attributes: {
    auth: attr.optional(t.string, {
      description: `How to authenticate: "ntlm" (NTLMv2 through Negotiate, messages sealed over http), "kerberos" (domain accounts: messages sealed over http, channel-bound over https), "negotiate" (Kerberos, falling back to NTLM for hosts Kerberos cannot reach, as Windows does), "basic" (needs https, or allow_unencrypted on both sides) or "certificate" (a TLS client certificate over https). Default "${DEFAULTS.auth}".`,
      validators: [oneOf(...AUTH_KINDS)],
    }),
    username: attr.optional(t.string, {
      description:
        'User for ntlm, basic and kerberos: `user`, `DOMAIN\\user` or `user@domain` (for kerberos `user@REALM` or `REALM\\user`; `user` takes kerberos_realm). Falls back to the PSREMOTING_USERNAME environment variable. With kerberos and a credential cache it may be left unset.',
    }),
    password: attr.optional(t.string, {
      sensitive: true,
      description:
        'Password for ntlm, basic and kerberos. Falls back to the PSREMOTING_PASSWORD environment variable. Never logged. kerberos needs none with kerberos_keytab or a credential cache.',
    }),
    scheme: attr.optional(t.string, {
      description: `Scheme for hosts given as a name or name:port: "http" (port 5985) or "https" (port 5986). A host given as a full URL keeps its own. Default "${DEFAULTS.scheme}".`,
      validators: [oneOf('http', 'https')],
    }),
    port: attr.optional(integer, {
      description: "Port for hosts given without one. Default: the scheme's WinRM port (5985 for http, 5986 for https).",
      validators: [integerBetween(1, 65535)],
    }),
    allow_unencrypted: attr.optional(t.bool, {
      description:
        'Allow auth = "basic" over http, which sends the password and every message in clear; the host must also have AllowUnencrypted=true. ntlm seals its messages regardless. Default false.',
    }),
    ca_file: attr.optional(t.string, {
      description:
        "PEM file of CA certificates trusted for https hosts, in addition to the system's (for self-signed WinRM listeners or an internal CA).",
    }),
    kerberos_realm: attr.optional(t.string, {
      description:
        'Kerberos realm of a username given without one (usually the AD domain in upper case, e.g. CORP.EXAMPLE.COM). Default: default_realm of krb5.conf (KRB5_CONFIG or /etc/krb5.conf).',
    }),
    kerberos_kdc: attr.optional(t.list(t.string), {
      description:
        "KDCs (domain controllers) as host or host:port, tried in order over UDP and TCP. Default: the realm's kdc entries in krb5.conf, then DNS SRV records _kerberos._udp/_tcp.<realm>.",
    }),
    kerberos_spn: attr.optional(t.string, {
      description:
        'Service principal of the hosts; `{host}` is replaced by the host name. Default "HTTP/{host}" (what WinRM registers). Example: "HTTP/{host}.corp.example.com@CORP.EXAMPLE.COM".',
    }),
    kerberos_keytab: attr.optional(t.string, {
      description: 'MIT keytab file with the keys of username (made with ktutil or ktpass), used instead of a password.',
    }),
    kerberos_ccache: attr.optional(t.string, {
      description:
        'Credential cache to take tickets from when no password or keytab is set, as `kinit` leaves it (FILE:/path or a path). Default: KRB5CCNAME, then /tmp/krb5cc_<uid>.',
    }),
    client_cert_file: attr.optional(t.string, { description: 'PEM client certificate for auth = "certificate".' }),
    client_key_file: attr.optional(t.string, { description: 'PEM private key of client_cert_file, for auth = "certificate".' }),
    insecure_skip_verify: attr.optional(t.bool, {
      description: 'Accept any https server certificate. Only for lab hosts: it makes the connection open to interception. Default false.',
    }),
    restart: attr.optional(t.string, {
      description: `When changed session configurations take effect: "immediate" restarts WinRM out of band once per host per apply (dropping every WinRM session on that host) and verifies the host reports what was written; "never" only stores them, effective at the next WinRM restart. Default "${DEFAULTS.restart}".`,
      validators: [oneOf(...RESTART_POLICIES)],
    }),
    restart_timeout_sec: attr.optional(integer, {
      description: `How long to wait for WinRM to answer again after a restart before failing the apply. Default ${DEFAULTS.restartTimeoutSec}.`,
      validators: [integerBetween(1, 86400)],
    }),
    operation_timeout_sec: attr.optional(integer, {
      description: `WS-Management OperationTimeout for each request (the HTTP answer may take 15 s longer). Default ${DEFAULTS.operationTimeoutSec}.`,
      validators: [integerBetween(1, 3600)],
    }),
    allow_stale_state: attr.optional(t.bool, {
      description:
        'When a host cannot be reached (refused, timed out, reset after the retries), plan with the last known state of its resources and a warning instead of failing. Such a plan checked nothing on that host: a CI drift check with it passes while a host is down. Default false.',
    }),
    max_concurrency_per_host: attr.optional(integer, {
      description: `Requests and shells this provider opens on one host at once, at most ${MAX_CONCURRENCY_LIMIT}; the provider also stays one below a host's own winrs MaxShellsPerUser when that is lower (its default is 2147483647 on Windows Server 2012 and later, 30 on 2008 R2). Default ${DEFAULTS.maxConcurrencyPerHost}.`,
      validators: [integerBetween(1, MAX_CONCURRENCY_LIMIT)],
    }),
  },
});
