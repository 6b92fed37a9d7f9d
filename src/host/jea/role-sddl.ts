/**
 * The security descriptor Register-PSSessionConfiguration derives from a configuration file
 * (ComputeSDDLFromConfiguration and UpdateSDDLUsersWithGroupConditional in PowerShell's
 * CustomShellCommands.cs): the default remote SDDL with every DACL entry purged, then one allow entry
 * with GENERIC_ALL (0x10000000, which the source's comment calls "GR") per RoleDefinitions principal;
 * with RequiredGroups every entry becomes a conditional one, `(XA;;GA;;;<sid>;(Member_of {SID(<g1>)} &&
 * Member_of {SID(<g2>)}))` for And, `||` for Or. Principals arrive as SIDs: names are translated on the
 * host (NTAccount.Translate there, account-sids.ts here).
 */
import { DEFAULT_REMOTE_SDDL } from '../session-configuration';
import { formatSddl, parseSddl, type Ace } from '../../wsman/config';

export interface RequiredGroupSids {
  readonly and?: readonly string[];
  readonly or?: readonly string[];
}

/** The conditional expression of RequiredGroups, as Register writes it; undefined without groups. */
export function requiredGroupsCondition(groups: RequiredGroupSids | undefined): string | undefined {
  const [sids, operator] = groups?.and?.length ? [groups.and, ' && '] : groups?.or?.length ? [groups.or, ' || '] : [[], ''];
  if (sids.length === 0) return undefined;
  return `(${sids.map((sid) => `Member_of {SID(${sid})}`).join(operator)})`;
}

/** The endpoint's SDDL for these principals (SIDs, deduplicated in order), as Register writes it for a remote endpoint. */
export function roleDefinitionsSddl(principalSids: readonly string[], requiredGroups?: RequiredGroupSids): string {
  const sd = parseSddl(DEFAULT_REMOTE_SDDL);
  const condition = requiredGroupsCondition(requiredGroups);
  const aces: Ace[] = [...new Set(principalSids.map((s) => s.toUpperCase()))].map((sid) => ({
    type: condition === undefined ? 'A' : 'XA',
    flags: [],
    rights: 'GA',
    objectGuid: '',
    inheritObjectGuid: '',
    sid,
    ...(condition === undefined ? {} : { condition }),
  }));
  return formatSddl({ ...sd, dacl: { flags: sd.dacl?.flags ?? ['P'], aces } });
}
