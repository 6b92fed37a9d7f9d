/**
 * SDDL SID aliases (the two-letter names of [MS-DTYP] 2.5.1.1 / sddl.h) with their SIDs and the account
 * names Windows translates them to (English-language hosts). Domain-relative aliases (DA, DU, …) have no
 * fixed SID: they are valid syntax but are not translated.
 */
export interface WellKnownSid {
  alias: string;
  /** Undefined for domain-relative aliases. */
  sid?: string;
  account?: string;
}

const TABLE: ReadonlyArray<readonly [string, string | undefined, string | undefined]> = [
  ['WD', 'S-1-1-0', 'Everyone'],
  ['CO', 'S-1-3-0', 'CREATOR OWNER'],
  ['CG', 'S-1-3-1', 'CREATOR GROUP'],
  ['OW', 'S-1-3-4', 'OWNER RIGHTS'],
  ['NU', 'S-1-5-2', 'NT AUTHORITY\\NETWORK'],
  ['IU', 'S-1-5-4', 'NT AUTHORITY\\INTERACTIVE'],
  ['SU', 'S-1-5-6', 'NT AUTHORITY\\SERVICE'],
  ['AN', 'S-1-5-7', 'NT AUTHORITY\\ANONYMOUS LOGON'],
  ['ED', 'S-1-5-9', 'NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS'],
  ['PS', 'S-1-5-10', 'NT AUTHORITY\\SELF'],
  ['AU', 'S-1-5-11', 'NT AUTHORITY\\Authenticated Users'],
  ['RC', 'S-1-5-12', 'NT AUTHORITY\\RESTRICTED'],
  ['SY', 'S-1-5-18', 'NT AUTHORITY\\SYSTEM'],
  ['LS', 'S-1-5-19', 'NT AUTHORITY\\LOCAL SERVICE'],
  ['NS', 'S-1-5-20', 'NT AUTHORITY\\NETWORK SERVICE'],
  ['WR', 'S-1-5-33', 'NT AUTHORITY\\WRITE RESTRICTED'],
  ['BA', 'S-1-5-32-544', 'BUILTIN\\Administrators'],
  ['BU', 'S-1-5-32-545', 'BUILTIN\\Users'],
  ['BG', 'S-1-5-32-546', 'BUILTIN\\Guests'],
  ['PU', 'S-1-5-32-547', 'BUILTIN\\Power Users'],
  ['AO', 'S-1-5-32-548', 'BUILTIN\\Account Operators'],
  ['SO', 'S-1-5-32-549', 'BUILTIN\\Server Operators'],
  ['PO', 'S-1-5-32-550', 'BUILTIN\\Print Operators'],
  ['BO', 'S-1-5-32-551', 'BUILTIN\\Backup Operators'],
  ['RE', 'S-1-5-32-552', 'BUILTIN\\Replicator'],
  ['RU', 'S-1-5-32-554', 'BUILTIN\\Pre-Windows 2000 Compatible Access'],
  ['RD', 'S-1-5-32-555', 'BUILTIN\\Remote Desktop Users'],
  ['NO', 'S-1-5-32-556', 'BUILTIN\\Network Configuration Operators'],
  ['MU', 'S-1-5-32-558', 'BUILTIN\\Performance Monitor Users'],
  ['LU', 'S-1-5-32-559', 'BUILTIN\\Performance Log Users'],
  ['IS', 'S-1-5-32-568', 'BUILTIN\\IIS_IUSRS'],
  ['CY', 'S-1-5-32-569', 'BUILTIN\\Cryptographic Operators'],
  ['ER', 'S-1-5-32-573', 'BUILTIN\\Event Log Readers'],
  ['CD', 'S-1-5-32-574', 'BUILTIN\\Certificate Service DCOM Access'],
  ['RA', 'S-1-5-32-575', 'BUILTIN\\RDS Remote Access Servers'],
  ['ES', 'S-1-5-32-576', 'BUILTIN\\RDS Endpoint Servers'],
  ['MS', 'S-1-5-32-577', 'BUILTIN\\RDS Management Servers'],
  ['HA', 'S-1-5-32-578', 'BUILTIN\\Hyper-V Administrators'],
  ['AA', 'S-1-5-32-579', 'BUILTIN\\Access Control Assistance Operators'],
  ['RM', 'S-1-5-32-580', 'BUILTIN\\Remote Management Users'],
  ['AC', 'S-1-15-2-1', 'APPLICATION PACKAGE AUTHORITY\\ALL APPLICATION PACKAGES'],
  ['LW', 'S-1-16-4096', 'Mandatory Label\\Low Mandatory Level'],
  ['ME', 'S-1-16-8192', 'Mandatory Label\\Medium Mandatory Level'],
  ['MP', 'S-1-16-8448', 'Mandatory Label\\Medium Plus Mandatory Level'],
  ['HI', 'S-1-16-12288', 'Mandatory Label\\High Mandatory Level'],
  ['SI', 'S-1-16-16384', 'Mandatory Label\\System Mandatory Level'],
  ['LA', undefined, undefined],
  ['LG', undefined, undefined],
  ['DA', undefined, undefined],
  ['DU', undefined, undefined],
  ['DC', undefined, undefined],
  ['DD', undefined, undefined],
  ['CA', undefined, undefined],
  ['SA', undefined, undefined],
  ['EA', undefined, undefined],
  ['PA', undefined, undefined],
  ['RS', undefined, undefined],
  ['CN', undefined, undefined],
  ['AP', undefined, undefined],
  ['KA', undefined, undefined],
  ['EK', undefined, undefined],
];

const BY_ALIAS = new Map<string, WellKnownSid>(
  TABLE.map(([alias, sid, account]) => [alias, { alias, ...(sid ? { sid } : {}), ...(account ? { account } : {}) }]),
);
const BY_SID = new Map<string, WellKnownSid>([...BY_ALIAS.values()].filter((w) => w.sid).map((w) => [w.sid as string, w]));

export function sidAlias(alias: string): WellKnownSid | undefined {
  return BY_ALIAS.get(alias.toUpperCase());
}

export function wellKnownSid(sid: string): WellKnownSid | undefined {
  return BY_SID.get(sid.toUpperCase());
}

/** Every alias with a fixed SID (the domain-relative ones have none). */
export function wellKnownSids(): WellKnownSid[] {
  return [...BY_SID.values()];
}

const BY_ACCOUNT = new Map<string, WellKnownSid>(
  [...BY_ALIAS.values()].filter((w) => w.account !== undefined && w.sid !== undefined).map((w) => [(w.account as string).toLowerCase(), w]),
);

/** A well-known account by the name Windows gives it (`BUILTIN\Administrators`; case-insensitive, the short form `Administrators` too for BUILTIN). */
export function wellKnownAccount(name: string): WellKnownSid | undefined {
  const lower = name.toLowerCase();
  return BY_ACCOUNT.get(lower) ?? BY_ACCOUNT.get(`builtin\\${lower}`) ?? BY_ACCOUNT.get(`nt authority\\${lower}`);
}
