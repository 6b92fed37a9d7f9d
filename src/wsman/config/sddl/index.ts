export {
  parseSddl,
  formatSddl,
  formatAce,
  sddlProblem,
  canonicalSddl,
  resolveSid,
  preferAlias,
  SddlError,
  type SecurityDescriptor,
  type Acl,
  type Ace,
} from './sddl';
export { sidAlias, wellKnownSid, type WellKnownSid } from './well-known-sids';
