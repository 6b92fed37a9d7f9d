/**
 * Whether a logon token may open a shell on an endpoint whose security descriptor is `sddl`: the DACL walk
 * of [MS-DTYP] 2.5.3.2 (AccessCheck) reduced to what an endpoint's SDDL holds. ACEs are read in order; a
 * deny ACE for a SID of the token that names the right denies, an allow ACE that names it grants, and a DACL
 * that does neither denies. A NULL DACL (no `D:`, or NO_ACCESS_CONTROL) grants everything.
 *
 * The right asked for is Execute (Invoke), as the permissions dialog of Set-PSSessionConfiguration
 * -ShowSecurityDescriptorUI names it: GENERIC_EXECUTE, which GENERIC_ALL includes. Conditional and object
 * ACEs are not evaluated (endpoints do not use them); domain-relative aliases (DA, DU…) match no token.
 */
import { parseSddl, resolveSid, type Ace } from '../../wsman/config';

const GENERIC_ALL = 0x10000000;
const GENERIC_EXECUTE = 0x20000000;
const ASKED = GENERIC_ALL | GENERIC_EXECUTE;

function namesExecute(ace: Ace): boolean {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(ace.rights)) return (Number(ace.rights) & ASKED) !== 0;
  const tokens: string[] = ace.rights.toUpperCase().match(/../g) ?? [];
  return tokens.includes('GA') || tokens.includes('GX');
}

/** True when the token may open a shell; an SDDL that does not parse grants nothing. */
export function executeAllowed(sddl: string, tokenSids: ReadonlySet<string>): boolean {
  let dacl;
  try {
    dacl = parseSddl(sddl).dacl;
  } catch {
    return false;
  }
  if (!dacl || dacl.flags.includes('NO_ACCESS_CONTROL')) return true;
  for (const ace of dacl.aces) {
    const sid = resolveSid(ace.sid);
    if (sid === undefined || !tokenSids.has(sid) || !namesExecute(ace)) continue;
    if (ace.type === 'D') return false;
    if (ace.type === 'A') return true;
  }
  return false;
}
