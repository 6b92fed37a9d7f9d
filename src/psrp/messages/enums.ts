import { psEnum } from '../clixml/values';

/**
 * The enums PSRP bodies carry, declared once each: name → value, and the .NET type name PowerShell writes
 * (MS-PSRP 2.2.3.x; values as in PowerShell's System.Management.Automation sources).
 */
export const ENUMS = {
  /** MS-PSRP 2.2.3.6 */
  PSThreadOptions: {
    typeName: 'System.Management.Automation.Runspaces.PSThreadOptions',
    values: { Default: 0, UseNewThread: 1, ReuseThread: 2, UseCurrentThread: 3 },
  },
  /** MS-PSRP 2.2.3.7 (PowerShell writes the names upper-case: STA, MTA, UNKNOWN). */
  ApartmentState: {
    typeName: 'System.Management.Automation.Runspaces.ApartmentState',
    values: { STA: 0, MTA: 1, UNKNOWN: 2 },
  },
  /** MS-PSRP 2.2.3.8 (flags; 15 is written "AddInvocationInfo"). */
  RemoteStreamOptions: {
    typeName: 'System.Management.Automation.Runspaces.RemoteStreamOptions',
    values: {
      None: 0,
      AddInvocationInfoToErrorRecord: 1,
      AddInvocationInfoToWarningRecord: 2,
      AddInvocationInfoToDebugRecord: 4,
      AddInvocationInfoToVerboseRecord: 8,
      AddInvocationInfo: 15,
    },
  },
  /** MS-PSRP 2.2.3.31 */
  PipelineResultTypes: {
    typeName: 'System.Management.Automation.Runspaces.PipelineResultTypes',
    values: { None: 0, Output: 1, Error: 2, Warning: 3, Verbose: 4, Debug: 5, Information: 6, All: 7, Null: 8 },
  },
  /** MS-PSRP 2.2.3.17 (host method ids, RemoteHostMethodId in PowerShell). */
  RemoteHostMethodId: {
    typeName: 'System.Management.Automation.Remoting.RemoteHostMethodId',
    values: {
      GetName: 1,
      GetVersion: 2,
      GetInstanceId: 3,
      GetCurrentCulture: 4,
      GetCurrentUICulture: 5,
      SetShouldExit: 6,
      EnterNestedPrompt: 7,
      ExitNestedPrompt: 8,
      NotifyBeginApplication: 9,
      NotifyEndApplication: 10,
      ReadLine: 11,
      ReadLineAsSecureString: 12,
      Write1: 13,
      Write2: 14,
      WriteLine1: 15,
      WriteLine2: 16,
      WriteLine3: 17,
      WriteErrorLine: 18,
      WriteDebugLine: 19,
      WriteProgress: 20,
      WriteVerboseLine: 21,
      WriteWarningLine: 22,
      Prompt: 23,
      PromptForCredential1: 24,
      PromptForCredential2: 25,
      PromptForChoice: 26,
      GetForegroundColor: 27,
      SetForegroundColor: 28,
      GetBackgroundColor: 29,
      SetBackgroundColor: 30,
      GetCursorPosition: 31,
      SetCursorPosition: 32,
      GetWindowPosition: 33,
      SetWindowPosition: 34,
      GetCursorSize: 35,
      SetCursorSize: 36,
      GetBufferSize: 37,
      SetBufferSize: 38,
      GetWindowSize: 39,
      SetWindowSize: 40,
      GetWindowTitle: 41,
      SetWindowTitle: 42,
      GetMaxWindowSize: 43,
      GetMaxPhysicalWindowSize: 44,
      GetKeyAvailable: 45,
      ReadKey: 46,
      FlushInputBuffer: 47,
      SetBufferContents1: 48,
      SetBufferContents2: 49,
      GetBufferContents: 50,
      ScrollBufferContents: 51,
      PushRunspace: 52,
      PopRunspace: 53,
      GetIsRunspacePushed: 54,
      GetRunspace: 55,
      PromptForChoiceMultipleSelection: 56,
    },
  },
} as const;

export type EnumName = keyof typeof ENUMS;
export type EnumMember<E extends EnumName> = keyof (typeof ENUMS)[E]['values'];

/** The serialized enum object for `member` of `enumName`. */
export function enumValue<E extends EnumName>(enumName: E, member: EnumMember<E>): ReturnType<typeof psEnum> {
  const e = ENUMS[enumName];
  return psEnum(e.typeName, String(member), (e.values as Record<string, number>)[member as string]!);
}

/** The member name of a numeric value, or undefined. */
export function enumMemberName<E extends EnumName>(enumName: E, value: number): EnumMember<E> | undefined {
  const found = Object.entries(ENUMS[enumName].values).find(([, v]) => v === value);
  return found?.[0] as EnumMember<E> | undefined;
}
