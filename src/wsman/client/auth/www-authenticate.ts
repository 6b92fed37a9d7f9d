import type { IncomingHttpHeaders } from 'node:http';

/**
 * Reads WWW-Authenticate: Windows sends one header per scheme (`Negotiate`, `Basic realm="WSMAN"`,
 * `Kerberos`, `CredSSP`), Node joins repeated headers with ", ".
 */
export function offeredSchemes(headers: IncomingHttpHeaders): string[] {
  const raw = headers['www-authenticate'];
  if (!raw) return [];
  return raw
    .split(/,\s*(?=[A-Za-z][\w-]*(?:\s|,|$))/)
    .map((s) => s.trim().split(/\s+/)[0] ?? '')
    .filter((s) => s !== '' && !s.includes('='));
}

/** The base64 token of a scheme in WWW-Authenticate (e.g. the NTLM CHALLENGE after `Negotiate `). */
export function schemeToken(headers: IncomingHttpHeaders, scheme: string): Buffer | undefined {
  const raw = headers['www-authenticate'];
  if (!raw) return undefined;
  const re = new RegExp(`(?:^|,\\s*)${scheme}\\s+([A-Za-z0-9+/=]+)`, 'i');
  const m = re.exec(raw);
  return m ? Buffer.from(m[1]!, 'base64') : undefined;
}
