/**
 * AccessMode is not stored anywhere: the cmdlets express it in the plugin document (Register/Set in
 * PowerShell's CustomShellCommands.cs; Register-PSSessionConfiguration.md, -AccessMode).
 * Disabled → Enabled='False'. Local → Enabled='True' and a deny ACE for NETWORK (S-1-5-2, mask
 * 0x10000000 = GA) in the DACL, so only loopback logons get in. Remote → that ACE removed; if the DACL is
 * left empty, Administrators, Interactive and Remote Management Users are allowed again.
 */
import { formatSddl, parseSddl, resolveSid, type Ace, type SecurityDescriptor } from '../../wsman/config';

const NETWORK_SID = 'S-1-5-2';

/** The SDDL Register writes when none is given, as microsoft.powershell has it: Administrators, Interactive and Remote Management Users allowed. */
export const DEFAULT_REMOTE_SDDL = 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;IU)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)';

const NETWORK_DENY: Ace = { type: 'D', flags: [], rights: 'GA', objectGuid: '', inheritObjectGuid: '', sid: 'NU' };
const REMOTE_DEFAULT_ACES: Ace[] = ['BA', 'IU', 'RM'].map((sid) => ({ ...NETWORK_DENY, type: 'A', sid }));

function isNetworkDeny(ace: Ace): boolean {
  return ace.type === 'D' && resolveSid(ace.sid) === NETWORK_SID;
}

/** Whether a DACL denies NETWORK logons (what makes an endpoint Local). */
export function deniesNetwork(sddl: string): boolean {
  return parseSddl(sddl).dacl?.aces.some(isNetworkDeny) ?? false;
}

/** The SDDL with the NETWORK deny ACE present (`local` true, first: deny ACEs come first) or absent. */
export function withNetworkAccess(sddl: string, local: boolean): string {
  const sd: SecurityDescriptor = parseSddl(sddl);
  const dacl = sd.dacl ?? { flags: ['P'], aces: [] };
  let aces = dacl.aces.filter((a) => !isNetworkDeny(a));
  if (local) aces = [NETWORK_DENY, ...aces];
  else if (aces.length === 0) aces = REMOTE_DEFAULT_ACES;
  return formatSddl({ ...sd, dacl: { ...dacl, aces } });
}

/** What access mode a plugin's Enabled flag and SDDL amount to. */
export function accessModeOf(enabled: boolean, sddl: string | undefined): 'Disabled' | 'Local' | 'Remote' {
  if (!enabled) return 'Disabled';
  return sddl !== undefined && sddl !== '' && deniesNetwork(sddl) ? 'Local' : 'Remote';
}
