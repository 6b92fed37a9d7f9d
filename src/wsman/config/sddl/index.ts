export {
  parseSddl,
  formatSddl,
  sddlProblem,
  canonicalSddl,
  resolveSid,
  SddlError,
  type SecurityDescriptor,
  type Acl,
  type Ace,
} from './sddl';
export { sidAlias, wellKnownSid, wellKnownSids, wellKnownAccount, type WellKnownSid } from './well-known-sids';
