/** The emulator's user accounts: found by the name a client gives (Basic and NTLM alike); Basic checked in constant time. */
import { timingSafeEqual, createHash } from 'node:crypto';

export interface UserCredential {
  readonly name: string;
  readonly password: string;
  /** Group names; undefined = Administrators (src/emulator/accounts/accounts.ts). */
  readonly groups?: readonly string[];
}

/** The authenticated user name, or undefined when the header is not valid Basic for a known user. */
export function checkBasic(header: string, users: readonly UserCredential[]): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const password = decoded.slice(colon + 1);
  const user = findUser(users, decoded.slice(0, colon));
  // Compare digests so timing does not reveal the password length either.
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  const ok = timingSafeEqual(digest(password), digest(user?.password ?? '\u0000no-user'));
  return user && ok ? user.name : undefined;
}

/**
 * The emulator's account a client's user name names: case-insensitive, and `DOMAIN\user` and
 * `user@domain` name the same local account on the emulated host.
 */
export function findUser(users: readonly UserCredential[], clientName: string): UserCredential | undefined {
  const slash = clientName.lastIndexOf('\\');
  const n = slash >= 0 ? clientName.slice(slash + 1) : clientName;
  const at = n.indexOf('@');
  const name = (at >= 0 ? n.slice(0, at) : n).toLowerCase();
  return users.find((u) => u.name.toLowerCase() === name);
}
