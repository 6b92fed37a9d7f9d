/**
 * The emulated host's accounts as Windows names them and the security identifiers of their logon token.
 *
 * A local account is `MACHINE\user` (the NetBIOS computer name, upper-case); a name the client gave with a
 * domain (`DOMAIN\user`, `user@realm`, a Kerberos principal) keeps it, as `DOMAIN\user`. SIDs: the
 * well-known ones of [MS-DTYP] 2.4.2.4 for built-in groups (`Administrators` = S-1-5-32-544, `Remote
 * Management Users` = S-1-5-32-580…, the table of src/wsman/config/sddl/well-known-sids.ts); every other
 * name gets a deterministic domain-like SID `S-1-5-21-a-b-c-RID`, where `a-b-c` identifies the machine (per
 * host) or the named domain (the same on every host) and RID is derived from the name.
 *
 * Emulated, not real: a WinRM logon is a network logon, so the token holds Everyone, NETWORK, Authenticated
 * Users and BUILTIN\Users beside the user's SID and groups; there is no group nesting and no domain
 * controller behind the `DOMAIN\` names.
 */
import { createHash } from 'node:crypto';
import { resolveSid, sidAlias, wellKnownSid, wellKnownSids } from '../../wsman/config';

export interface AccountOptions {
  readonly name: string;
  /**
   * Group names (`Administrators`, `Remote Management Users`, `JEA_Operators`, `CONTOSO\JEA_Operators`).
   * Undefined: Administrators (the emulator's accounts were administrators before groups existed).
   */
  readonly groups?: readonly string[];
}

export interface Account {
  /** `MACHINE\user` or `DOMAIN\user`. */
  readonly identity: string;
  readonly sid: string;
  /** Group names as given, qualified (`BUILTIN\Administrators`, `WIN1\JEA_Operators`). */
  readonly groups: readonly string[];
  /** Every SID of the logon token: the user's, its groups', and the ones every network logon has. */
  readonly tokenSids: ReadonlySet<string>;
  readonly isAdministrator: boolean;
}

export const ADMINISTRATORS_SID = 'S-1-5-32-544';
/** Everyone, NETWORK, Authenticated Users, BUILTIN\Users: in every WinRM logon token. */
const NETWORK_LOGON_SIDS = ['S-1-1-0', 'S-1-5-2', 'S-1-5-11', 'S-1-5-32-545'];
const BUILTIN_DOMAINS = new Set(['BUILTIN', 'NT AUTHORITY', 'NT-AUTORITÄT']);
/** Longest account name Windows takes (sAMAccountName is 20; UPNs and group names are longer): a bound, not a rule. */
const MAX_NAME_CHARS = 256;

/** The account name as WindowsIdentity.Name reports it. */
export function accountIdentity(hostName: string, user: string): string {
  if (user.includes('\\')) return user;
  const at = user.indexOf('@');
  if (at > 0) return `${(user.slice(at + 1).split('.')[0] ?? '').toUpperCase()}\\${user.slice(0, at)}`;
  return `${hostName.toUpperCase()}\\${user}`;
}

/** Three 32-bit sub-authorities from a label, as a machine or domain SID has. */
function authorityOf(label: string): string {
  const h = createHash('sha256').update(label.toUpperCase()).digest();
  return [h.readUInt32BE(0), h.readUInt32BE(4), h.readUInt32BE(8)].join('-');
}

/** A relative id above the well-known range (1000+), derived from the name. */
function ridOf(name: string): number {
  return 1000 + (createHash('sha256').update(name.toUpperCase()).digest().readUInt32BE(0) % 1_000_000_000);
}

export class HostAccounts {
  private readonly machineSid: string;
  private readonly byName = new Map<string, Account>();

  constructor(
    readonly hostName: string,
    accounts: readonly AccountOptions[],
  ) {
    this.machineSid = `S-1-5-21-${authorityOf(`machine:${hostName}`)}`;
    for (const a of accounts) this.byName.set(a.name.toLowerCase(), this.build(a.name, a.groups ?? ['Administrators']));
  }

  /**
   * The SID a name translates to on this host (NTAccount.Translate): a SID string as is, an SDDL alias,
   * a well-known account (`Administrators`, `BUILTIN\Administrators`, `NT AUTHORITY\NETWORK`), else a
   * local (`NAME`, `MACHINE\NAME`) or domain (`DOMAIN\NAME`) name. Undefined for what is not a name.
   */
  sidOf(name: string): string | undefined {
    const n = name.trim();
    const controls = [...n].some((c) => c.charCodeAt(0) < 0x20);
    if (n === '' || n.length > MAX_NAME_CHARS || controls || /["/[\]:;|=,+*?<>]/.test(n)) return undefined;
    if (/^S-1-\d+(-\d+)*$/i.test(n)) return n.toUpperCase();
    if (/^[A-Z]{2}$/.test(n) && sidAlias(n)?.sid) return resolveSid(n);
    const slash = n.lastIndexOf('\\');
    const domain = slash >= 0 ? n.slice(0, slash).toUpperCase() : undefined;
    const bare = slash >= 0 ? n.slice(slash + 1) : n;
    const known = wellKnownByAccount(bare, domain);
    if (known) return known;
    if (domain === undefined || domain === this.hostName.toUpperCase() || domain === '.') return `${this.machineSid}-${ridOf(bare)}`;
    if (BUILTIN_DOMAINS.has(domain)) return undefined;
    return `S-1-5-21-${authorityOf(`domain:${domain}`)}-${ridOf(bare)}`;
  }

  /**
   * The account of an authenticated user name (`user`, `DOMAIN\user`, `user@realm`), found by its bare name.
   * A principal outside the list (a Kerberos user the KDC knows) is an administrator, as every
   * authenticated user was before accounts had groups.
   */
  account(user: string): Account {
    return this.byName.get(user.replace(/^.*\\/, '').replace(/@.*$/, '').toLowerCase()) ?? this.build(user, ['Administrators']);
  }

  private build(user: string, groups: readonly string[]): Account {
    const identity = accountIdentity(this.hostName, user);
    const sid = this.sidOf(identity) ?? `${this.machineSid}-${ridOf(identity)}`;
    const qualified = groups.map((g) => this.qualify(g));
    const groupSids = groups.map((g) => this.sidOf(g)).filter((s): s is string => s !== undefined);
    const tokenSids = new Set([sid, ...groupSids, ...NETWORK_LOGON_SIDS]);
    return { identity, sid, groups: qualified, tokenSids, isAdministrator: tokenSids.has(ADMINISTRATORS_SID) };
  }

  private qualify(group: string): string {
    if (group.includes('\\')) return group;
    const known = wellKnownSid(this.sidOf(group) ?? '')?.account;
    return known ?? `${this.hostName.toUpperCase()}\\${group}`;
  }
}

/** The well-known SID whose account name (`BUILTIN\Administrators`) is `name`, in `domain` when one is given. */
function wellKnownByAccount(name: string, domain: string | undefined): string | undefined {
  const wanted = name.toLowerCase();
  for (const w of wellKnownSids()) {
    if (!w.account || !w.sid) continue;
    const slash = w.account.lastIndexOf('\\');
    const accountName = w.account.slice(slash + 1).toLowerCase();
    const accountDomain = slash >= 0 ? w.account.slice(0, slash).toUpperCase() : '';
    if (accountName === wanted && (domain === undefined || domain === accountDomain)) return w.sid;
  }
  return undefined;
}
