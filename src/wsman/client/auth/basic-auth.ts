import type { WsmanAuth } from './auth-options';

export function basicAuthorization(auth: Extract<WsmanAuth, { kind: 'basic' }>): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

/**
 * WinRM's Authorization value for certificate authentication over HTTPS: the mutual-TLS security
 * profile URI (DSP0226 secprofile; spec-derived, as pywinrm sends it — no capture here).
 */
export const CERTIFICATE_AUTHORIZATION = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual';
