/**
 * Client certificate authentication as WinRM does it over HTTPS: the client presents a certificate in the
 * TLS handshake and sends `Authorization: http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual`;
 * the certificate must chain to a CA the host trusts and match one of the service's client certificate
 * mappings (`winrm/config/service/certmapping`, MS-WSMV 2.2.4.3 CertMappingType), which names the local
 * account the request runs as. A mapping's Subject is matched against the UPN in the certificate's
 * subjectAltName (otherName 1.3.6.1.4.1.311.20.2.3, which Windows needs for the mapping: Ansible's
 * "Windows Remote Management" guide, certificate section), and against the subject's CN when the
 * certificate carries no UPN; its Issuer is the SHA-1 thumbprint of the certificate that signed the
 * client certificate. The mapping's URI is not modelled: every mapping applies to every resource (`*`).
 */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { errorMessage } from '../../common';
import { EmulatorError } from '../emulator-error';
import type { CertificateTrust } from '../control/control-api';
import { findUser, type UserCredential } from './basic-auth';

export interface CertMapping {
  /** A UPN or subject pattern: at most one `*`, as its first or last character (MS-WSMV 2.2.4.3). */
  readonly subject: string;
  /** SHA-1 thumbprint (40 hex digits) of the CA certificate that issued the client certificate. */
  readonly issuer: string;
  /** The local account the request runs as. */
  readonly userName: string;
  /** Default true. */
  readonly enabled?: boolean;
}

/** Why a certificate was refused, for the emulator's log (never shown to the client: Windows answers a bare 401). */
export type CertificateOutcome = { readonly kind: 'mapped'; readonly user: string } | { readonly kind: 'refused'; readonly reason: string };

const UPN_NAME = /othername:UPN:("(?:[^"\\]|\\.)*"|[^,]*)/gi;

/** Checks one mapping the way `New-Item WSMan:\localhost\ClientCertificate` would refuse a bad one. */
export function validateCertMapping(m: CertMapping, users: readonly UserCredential[]): CertMapping {
  const stars = m.subject.split('*').length - 1;
  if (m.subject === '' || stars > 1 || (stars === 1 && !m.subject.startsWith('*') && !m.subject.endsWith('*')))
    throw new EmulatorError('invalid-option', `certificate mapping subject ${JSON.stringify(m.subject)}: at most one *, first or last`);
  if (!/^[0-9a-f]{40}$/i.test(m.issuer))
    throw new EmulatorError('invalid-option', 'certificate mapping issuer must be a SHA-1 thumbprint (40 hex digits)');
  if (!findUser(users, m.userName)) throw new EmulatorError('invalid-option', `certificate mapping user ${m.userName} is not an account`);
  return { ...m, issuer: m.issuer.toUpperCase() };
}

/** `SUBJECT:ISSUER_THUMBPRINT:USER` from the command line. */
export function parseCertMapping(v: string): CertMapping {
  const m = /^(.+):([0-9a-fA-F]{40}):([^:]+)$/.exec(v);
  if (!m) throw new EmulatorError('invalid-option', '--cert-mapping takes SUBJECT:ISSUER_THUMBPRINT:USER');
  const [, subject, issuer, userName] = m as unknown as [string, string, string, string];
  return { subject, issuer, userName };
}

/**
 * One host's client certificate trust and mappings. The control API adds to both at run time; a newly
 * trusted CA reaches the listener through `onTrustChanged` (new TLS connections verify against it).
 */
export class ClientCertificates {
  private readonly cas: X509Certificate[] = [];
  private readonly mappings: CertMapping[] = [];
  /** Set by the HTTPS listener: rebuilds its TLS context with the CAs now trusted. */
  onTrustChanged: (() => void) | undefined;

  constructor(
    caPems: readonly string[],
    mappings: readonly CertMapping[],
    private readonly users: readonly UserCredential[],
  ) {
    for (const pem of caPems) this.trust(pem);
    for (const m of mappings) this.addMapping(m);
  }

  /** PEM CA certificates trusted for client certificates. */
  get caPems(): string[] {
    return this.cas.map((c) => c.toString());
  }

  /** Trusts one CA certificate (PEM); refuses what is not one certificate of a CA. */
  trust(pem: string): CertificateTrust {
    let ca: X509Certificate;
    try {
      ca = new X509Certificate(pem);
    } catch (e) {
      throw new EmulatorError('invalid-option', `client CA is not a PEM certificate: ${errorMessage(e)}`);
    }
    if (!ca.ca) throw new EmulatorError('invalid-option', `client CA ${ca.subject} is not a CA certificate (basicConstraints cA)`);
    if (!this.cas.some((c) => c.fingerprint === ca.fingerprint)) this.cas.push(ca);
    this.onTrustChanged?.();
    return this.describe();
  }

  addMapping(m: CertMapping): CertificateTrust {
    this.mappings.push(validateCertMapping(m, this.users));
    return this.describe();
  }

  describe(): CertificateTrust {
    return {
      cas: this.cas.map((c) => ({ subject: c.subject, thumbprint: thumbprintOf(c) })),
      mappings: this.mappings.map((m) => ({ ...m, enabled: m.enabled !== false })),
    };
  }

  /** The account a verified TLS peer maps to. */
  authenticate(socket: TLSSocket): CertificateOutcome {
    const peer = socket.getPeerX509Certificate();
    if (!peer) return { kind: 'refused', reason: 'no client certificate' };
    if (!socket.authorized)
      return { kind: 'refused', reason: `client certificate ${peer.subject} not trusted: ${String(socket.authorizationError)}` };
    const issuer = this.cas.find((ca) => peer.checkIssued(ca) && peer.verify(ca.publicKey));
    if (!issuer) return { kind: 'refused', reason: `client certificate ${peer.subject} not issued by a trusted CA` };
    const thumbprint = thumbprintOf(issuer);
    const names = certificateNames(peer);
    const mapping = this.mappings.find((m) => m.enabled !== false && m.issuer === thumbprint && names.some((n) => matches(m.subject, n)));
    const user = mapping && findUser(this.users, mapping.userName);
    if (!user) return { kind: 'refused', reason: `no certificate mapping for ${names.join(', ')} issued by ${thumbprint}` };
    return { kind: 'mapped', user: user.name };
  }
}

/** A certificate's thumbprint as Windows writes it: SHA-1, upper-case hex. */
function thumbprintOf(c: X509Certificate): string {
  return c.fingerprint.replace(/:/g, '').toUpperCase();
}

/** The UPNs in the subjectAltName, else the subject's common name. */
function certificateNames(cert: X509Certificate): string[] {
  const upns = [...(cert.subjectAltName ?? '').matchAll(UPN_NAME)].map((m) => {
    const v = m[1] as string;
    return v.startsWith('"') ? (JSON.parse(v) as string) : v;
  });
  if (upns.length > 0) return upns;
  const cn = /^CN=(.*)$/m.exec(cert.subject);
  return cn ? [cn[1] as string] : [];
}

/** MS-WSMV 2.2.4.3: `*` matches any substring, and only as the first or last character; case-insensitive. */
function matches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*')) return n.endsWith(p.slice(1));
  if (p.endsWith('*')) return n.startsWith(p.slice(0, -1));
  return n === p;
}
