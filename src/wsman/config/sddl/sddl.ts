/**
 * Security Descriptor Definition Language ([MS-DTYP] 2.5.1): `O:owner G:group D:flags(ace)… S:flags(ace)…`,
 * each ACE `(type;flags;rights;object_guid;inherit_object_guid;sid[;condition])`. WinRM stores plugin
 * and service permissions as SDDL; this parser gives plan-time syntax errors and lets us edit DACLs.
 * Tokens are read case-insensitively and written upper-case, as Windows writes them.
 */
import { WsmanError } from '../../faults/errors';
import { sidAlias, wellKnownSid } from './well-known-sids';
import { UINT32_MAX } from '../../xml';

export interface Ace {
  type: string;
  flags: string[];
  /** Right tokens concatenated (`GA`, `GXGR`) or a number as written (`0x10000000`). */
  rights: string;
  objectGuid: string;
  inheritObjectGuid: string;
  /** An alias (`BA`) or a SID string (`S-1-5-21-…`). */
  sid: string;
  /** Conditional expression or resource attribute of callback/resource-attribute ACEs, as written. */
  condition?: string;
}

export interface Acl {
  /** `P`, `AI`, `AR`, `NO_ACCESS_CONTROL` in the order written. */
  flags: string[];
  aces: Ace[];
}

export interface SecurityDescriptor {
  owner?: string;
  group?: string;
  dacl?: Acl;
  sacl?: Acl;
}

export class SddlError extends WsmanError {
  override readonly name = 'SddlError';
}

const ACE_TYPES = new Set(['A', 'D', 'OA', 'OD', 'AU', 'AL', 'OU', 'OL', 'ML', 'XA', 'XD', 'XU', 'ZA', 'RA', 'SP', 'TL', 'FL']);
const OBJECT_TYPES = new Set(['OA', 'OD', 'OU', 'OL', 'ZA']);
const WITH_CONDITION = new Set(['XA', 'XD', 'XU', 'ZA', 'RA']);
const ACE_FLAGS = new Set(['CI', 'OI', 'NP', 'IO', 'ID', 'SA', 'FA', 'TP', 'CR']);
const RIGHTS = new Set([
  'GA',
  'GR',
  'GW',
  'GX',
  'RC',
  'SD',
  'WD',
  'WO',
  'RP',
  'WP',
  'CC',
  'DC',
  'LC',
  'SW',
  'LO',
  'DT',
  'CR',
  'FA',
  'FR',
  'FW',
  'FX',
  'KA',
  'KR',
  'KW',
  'KX',
  'NR',
  'NW',
  'NX',
]);
const ACL_FLAGS = ['NO_ACCESS_CONTROL', 'AI', 'AR', 'P'];
const GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;
const SID = /^S-1-(\d{1,13}|0X[0-9A-F]{1,12})((-\d{1,10}){0,15})$/i;

/** Parses SDDL text; throws SddlError naming the offending part. */
export function parseSddl(text: string): SecurityDescriptor {
  const sd: SecurityDescriptor = {};
  let pos = 0;
  const s = text.trim();
  if (s === '') throw new SddlError('the security descriptor is empty');
  while (pos < s.length) {
    const tag = s.slice(pos, pos + 2).toUpperCase();
    const key = ({ 'O:': 'owner', 'G:': 'group', 'D:': 'dacl', 'S:': 'sacl' } as const)[tag];
    if (!key) throw new SddlError(`expected O:, G:, D: or S: at offset ${pos}, found "${s.slice(pos, pos + 10)}"`);
    if (sd[key] !== undefined) throw new SddlError(`${tag} appears more than once`);
    pos += 2;
    const end = componentEnd(s, pos);
    const body = s.slice(pos, end);
    if (key === 'owner' || key === 'group') sd[key] = parseSid(body, tag);
    else sd[key] = parseAcl(body, tag);
    pos = end;
  }
  return sd;
}

/** Where a component ends: the next `X:` tag outside parentheses. */
function componentEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && s[i + 1] === ':' && /[OGDS]/i.test(c ?? '')) return i;
  }
  return s.length;
}

function parseSid(text: string, where: string): string {
  const t = text.trim();
  if (/^[A-Z]{2}$/i.test(t)) {
    if (!sidAlias(t)) throw new SddlError(`${where} "${t}" is not a known SID alias`);
    return t.toUpperCase();
  }
  if (!SID.test(t)) throw new SddlError(`${where} "${t}" is neither a SID (S-1-…) nor a SID alias`);
  const sub = t.split('-').slice(3);
  if (sub.some((x) => Number(x) > UINT32_MAX)) throw new SddlError(`${where} "${t}" has a sub-authority above ${UINT32_MAX}`);
  return t.toUpperCase();
}

function parseAcl(text: string, where: string): Acl {
  const open = text.indexOf('(');
  let rest = (open < 0 ? text : text.slice(0, open)).toUpperCase();
  const flags: string[] = [];
  while (rest !== '') {
    const flag = ACL_FLAGS.find((f) => rest.startsWith(f));
    if (!flag) throw new SddlError(`${where} has an unknown ACL flag at "${rest}"`);
    flags.push(flag);
    rest = rest.slice(flag.length);
  }
  const aces: Ace[] = [];
  let i = open < 0 ? text.length : open;
  while (i < text.length) {
    if (text[i] !== '(') throw new SddlError(`${where} expected "(" to start an ACE, found "${text.slice(i, i + 10)}"`);
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      if (text[j] === '(') depth++;
      else if (text[j] === ')' && --depth === 0) break;
    }
    if (depth !== 0) throw new SddlError(`${where} has an unterminated ACE "${text.slice(i)}"`);
    aces.push(parseAce(text.slice(i + 1, j), `${where} ACE ${aces.length + 1}`));
    i = j + 1;
  }
  return { flags, aces };
}

function parseAce(body: string, where: string): Ace {
  const fields = body.split(';');
  const [type = '', flags = '', rights = '', objectGuid = '', inheritGuid = '', sid = ''] = fields.map((f) => f.trim());
  const t = type.toUpperCase();
  if (!ACE_TYPES.has(t)) throw new SddlError(`${where} has unknown type "${type}"`);
  const hasCondition = fields.length > 6;
  if (fields.length < 6 || (hasCondition && !WITH_CONDITION.has(t))) {
    throw new SddlError(
      `${where} must have 6 fields separated by ";" (type;flags;rights;object_guid;inherit_object_guid;sid), got ${fields.length}`,
    );
  }
  for (const [label, guid] of [
    ['object GUID', objectGuid],
    ['inherit object GUID', inheritGuid],
  ] as const) {
    if (guid === '') continue;
    if (!OBJECT_TYPES.has(t)) throw new SddlError(`${where} of type ${t} cannot carry an ${label}`);
    if (!GUID.test(guid)) throw new SddlError(`${where} ${label} "${guid}" is not a GUID`);
  }
  const ace: Ace = {
    type: t,
    flags: pairs(flags, ACE_FLAGS, `${where} flags`),
    rights: parseRights(rights, where),
    objectGuid: objectGuid.toUpperCase(),
    inheritObjectGuid: inheritGuid.toUpperCase(),
    sid: parseSid(sid, `${where} SID`),
  };
  if (hasCondition) ace.condition = fields.slice(6).join(';');
  return ace;
}

function pairs(text: string, allowed: ReadonlySet<string>, where: string): string[] {
  const t = text.toUpperCase();
  if (t.length % 2 !== 0) throw new SddlError(`${where} "${text}" is not a sequence of two-letter tokens`);
  const out: string[] = [];
  for (let i = 0; i < t.length; i += 2) {
    const token = t.slice(i, i + 2);
    if (!allowed.has(token)) throw new SddlError(`${where} has unknown token "${token}"`);
    out.push(token);
  }
  return out;
}

function parseRights(text: string, where: string): string {
  if (text === '') throw new SddlError(`${where} has no access rights`);
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return `0x${text.slice(2).toLowerCase()}`;
  if (/^\d{1,10}$/.test(text) && Number(text) <= UINT32_MAX) return text;
  return pairs(text, RIGHTS, `${where} rights`).join('');
}

/** The syntax problem of an SDDL string, or undefined when it parses. */
export function sddlProblem(text: string): string | undefined {
  try {
    parseSddl(text);
    return undefined;
  } catch (e) {
    if (e instanceof SddlError) return e.message;
    throw e;
  }
}

export function formatSddl(sd: SecurityDescriptor): string {
  let out = '';
  if (sd.owner !== undefined) out += `O:${sd.owner}`;
  if (sd.group !== undefined) out += `G:${sd.group}`;
  if (sd.dacl) out += `D:${formatAcl(sd.dacl)}`;
  if (sd.sacl) out += `S:${formatAcl(sd.sacl)}`;
  return out;
}

function formatAcl(acl: Acl): string {
  return acl.flags.join('') + acl.aces.map(formatAce).join('');
}

function formatAce(ace: Ace): string {
  const fields = [ace.type, ace.flags.join(''), ace.rights, ace.objectGuid, ace.inheritObjectGuid, ace.sid];
  return `(${fields.join(';')}${ace.condition === undefined ? '' : `;${ace.condition}`})`;
}

/** The SID string of an alias or SID (undefined for domain-relative aliases, which depend on the host). */
export function resolveSid(sidOrAlias: string): string | undefined {
  return sidOrAlias.toUpperCase().startsWith('S-') ? sidOrAlias.toUpperCase() : sidAlias(sidOrAlias)?.sid;
}

/** Windows writes well-known SIDs by their alias; comparing in that form makes `S-1-5-32-544` equal `BA`. */
function preferAlias(sidOrAlias: string): string {
  return wellKnownSid(sidOrAlias)?.alias ?? sidOrAlias.toUpperCase();
}

/** A form for comparing two descriptors for equality: aliases for well-known SIDs, upper-case tokens. */
export function canonicalSddl(text: string): string {
  const sd = parseSddl(text);
  const acl = (a: Acl | undefined): Acl | undefined =>
    a && { flags: a.flags, aces: a.aces.map((x) => ({ ...x, sid: preferAlias(x.sid) })) };
  return formatSddl({
    ...(sd.owner !== undefined ? { owner: preferAlias(sd.owner) } : {}),
    ...(sd.group !== undefined ? { group: preferAlias(sd.group) } : {}),
    ...(sd.dacl ? { dacl: acl(sd.dacl) } : {}),
    ...(sd.sacl ? { sacl: acl(sd.sacl) } : {}),
  });
}
