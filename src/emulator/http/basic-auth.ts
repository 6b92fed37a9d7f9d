/** HTTP Basic credentials checked against the emulator's users in constant time. */
import { timingSafeEqual, createHash } from 'node:crypto';

export interface UserCredential {
  readonly name: string;
  readonly password: string;
}

/** The authenticated user name, or undefined when the header is not valid Basic for a known user. */
export function checkBasic(header: string, users: readonly UserCredential[]): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const name = stripDomain(decoded.slice(0, colon));
  const password = decoded.slice(colon + 1);
  const user = users.find((u) => u.name.toLowerCase() === name.toLowerCase());
  // Compare digests so timing does not reveal the password length either.
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  const ok = timingSafeEqual(digest(password), digest(user?.password ?? '\u0000no-user'));
  return user && ok ? user.name : undefined;
}

/** `DOMAIN\user` and `user@domain` name the same local account on the emulated host. */
export function stripDomain(name: string): string {
  const slash = name.lastIndexOf('\\');
  const n = slash >= 0 ? name.slice(slash + 1) : name;
  const at = n.indexOf('@');
  return at >= 0 ? n.slice(0, at) : n;
}
