/**
 * What an endpoint's SDDL means for who can connect, when that is almost surely not what was meant: a
 * NULL DACL (no `D:` part, or NO_ACCESS_CONTROL) lets everyone in with full access ([MS-DTYP] 2.4.6:
 * "If the DACL is NULL, all access is granted"), an allow ACE for Everyone or Anonymous opens the
 * endpoint to any caller, and a DACL that allows nobody (no allow ACE, or Everyone denied) locks
 * every caller out, administrators included.
 */
import { parseSddl, resolveSid } from '../../wsman/config';

const EVERYONE = 'S-1-1-0';
const ANONYMOUS = 'S-1-5-7';

/** A sentence naming the effect, or undefined when the SDDL restricts access in an ordinary way (or is invalid: validation says so). */
export function sddlExposure(sddl: string): string | undefined {
  let dacl;
  try {
    dacl = parseSddl(sddl).dacl;
  } catch {
    return undefined;
  }
  if (!dacl || dacl.flags.includes('NO_ACCESS_CONTROL')) {
    return 'has no DACL (a NULL DACL): everyone, anonymous callers included, gets full access to this endpoint';
  }
  const allows = dacl.aces.filter((a) => a.type === 'A');
  const open = allows.find((a) => [EVERYONE, ANONYMOUS].includes(resolveSid(a.sid) ?? ''));
  if (open)
    return `allows ${resolveSid(open.sid) === EVERYONE ? 'Everyone' : 'anonymous logons'} (${open.sid}): any caller can open sessions on this endpoint`;
  if (dacl.aces.some((a) => a.type === 'D' && resolveSid(a.sid) === EVERYONE)) {
    return 'denies Everyone: nobody, administrators included, can connect to this endpoint';
  }
  if (allows.length === 0) return 'allows no one: nobody, administrators included, can connect to this endpoint';
  return undefined;
}
