/**
 * Typed readings of WinRM configuration values (kept as wire text in the models) and the value checks
 * shared by plugin and service/winrs validation.
 */
import { parseBool, parseUint } from '../xml/xsd-values';

/**
 * How WinRM refuses a bad configuration write; the emulator turns this into the SOAP fault.
 * Schema-expressible violations (types, ranges, enumerations, lengths, required attributes) are what
 * WinRM's XSD validation reports as w:SchemaValidationError (captured for an out-of-range shell
 * IdleTimeOut, pywinrm#377). Cross-field rules cannot be expressed in the schema; for those the answer is
 * w:InvalidParameter with ERROR_INVALID_PARAMETER, the code Windows uses for a semantically invalid
 * argument (inference, no capture exists).
 */
export type ConfigFault = 'SchemaValidationError' | 'InvalidParameter';

/** Where the rule comes from: the MS-WSMV schema text, or our reading of Windows behaviour. */
export type RuleBasis = 'spec' | 'inference';

export interface ConfigFinding {
  /** XPath-like location, e.g. `Quotas/@MaxShells` or `Winrs/MaxShellsPerUser`. */
  path: string;
  message: string;
  fault: ConfigFault;
  basis: RuleBasis;
}

/** Describes the value kinds of the schema; each check returns a message or undefined. */
export type ValueRule =
  | { kind: 'bool' }
  | { kind: 'uint'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'text'; maxLength?: number };

export function checkValue(label: string, value: string, rule: ValueRule): string | undefined {
  switch (rule.kind) {
    case 'bool':
      return parseBool(value) === undefined ? `${label} must be true or false, got "${value}"` : undefined;
    case 'uint': {
      const n = parseUint(value);
      if (n === undefined) return `${label} must be a whole number from ${rule.min} to ${rule.max}, got "${value}"`;
      return n < rule.min || n > rule.max ? `${label} must be from ${rule.min} to ${rule.max}, got ${n}` : undefined;
    }
    case 'enum':
      // Schema enumerations are case-sensitive, as WinRM's XSD validation is.
      return rule.values.includes(value) ? undefined : `${label} must be one of ${rule.values.join(', ')}, got "${value}"`;
    case 'text':
      return rule.maxLength !== undefined && value.length > rule.maxLength
        ? `${label} must be at most ${rule.maxLength} characters, got ${value.length}`
        : undefined;
  }
}
