/**
 * Value rules for Put on `winrm/config/service` and `winrm/config/winrs`. Types and ranges are those of
 * MS-WSMV 2.2.4.41 ServiceType / 2.2.4.43 WinrsType and the WinRM quota documentation (spec-derived; no
 * capture of a refused config Put exists). Settings without a rule are free text.
 */
import { checkValue, UINT32_MAX, type ValueRule } from '../../wsman/config/config-values';

const BOOL: ValueRule = { kind: 'bool' };
const UINT: ValueRule = { kind: 'uint', min: 0, max: UINT32_MAX };
const POSITIVE: ValueRule = { kind: 'uint', min: 1, max: UINT32_MAX };

const RULES: Readonly<Record<string, ValueRule>> = {
  'service/maxconcurrentoperations': POSITIVE,
  'service/maxconcurrentoperationsperuser': POSITIVE,
  'service/enumerationtimeoutms': UINT,
  'service/maxconnections': POSITIVE,
  'service/maxpacketretrievaltimeseconds': UINT,
  'service/allowunencrypted': BOOL,
  'service/auth/basic': BOOL,
  'service/auth/kerberos': BOOL,
  'service/auth/negotiate': BOOL,
  'service/auth/certificate': BOOL,
  'service/auth/credssp': BOOL,
  'service/auth/cbthardeninglevel': { kind: 'enum', values: ['Strict', 'Relaxed', 'None'] },
  'service/enablecompatibilityhttplistener': BOOL,
  'service/enablecompatibilityhttpslistener': BOOL,
  'service/allowremoteaccess': BOOL,
  'winrs/allowremoteshellaccess': BOOL,
  'winrs/idletimeout': { kind: 'uint', min: 0, max: 2147483647 },
  'winrs/maxconcurrentusers': { kind: 'uint', min: 1, max: 2147483647 },
  'winrs/maxshellruntime': { kind: 'uint', min: 0, max: 2147483647 },
  'winrs/maxprocessespershell': { kind: 'uint', min: 0, max: 2147483647 },
  'winrs/maxmemorypershellmb': { kind: 'uint', min: 0, max: 2147483647 },
  'winrs/maxshellsperuser': { kind: 'uint', min: 1, max: 2147483647 },
};

/** A message when `value` is not acceptable for the setting at `path` (e.g. `Winrs/IdleTimeout`). */
export function configValueProblem(path: string, value: string): string | undefined {
  const rule = RULES[path.toLowerCase()];
  return rule ? checkValue(path, value, rule) : undefined;
}
