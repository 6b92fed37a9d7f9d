/**
 * The emulated host's accounts as Windows names them. A local account is `MACHINE\user` (the NetBIOS
 * computer name, upper-case); a name the client gave with a domain (`DOMAIN\user`, `user@realm`, a Kerberos
 * principal) keeps it, as `DOMAIN\user`.
 */

/** The account name as WindowsIdentity.Name reports it. */
export function accountIdentity(hostName: string, user: string): string {
  if (user.includes('\\')) return user;
  const at = user.indexOf('@');
  if (at > 0) return `${(user.slice(at + 1).split('.')[0] ?? '').toUpperCase()}\\${user.slice(0, at)}`;
  return `${hostName.toUpperCase()}\\${user}`;
}
