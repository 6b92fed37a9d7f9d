import type { PsValue } from '../clixml/values';
import type { HostCall } from '../messages/server-bodies';

/**
 * Answers to host calls (MS-PSRP 3.1.4.3: the server asks the client's host to read a line, prompt,
 * show progress…). A responder returns the method's result, or an error the server raises in the
 * pipeline. Void calls (call id -100) are never answered (MS-PSRP 2.2.2.15).
 */
export type HostAnswer = { readonly result: PsValue } | { readonly error: string };

export type HostResponder = (call: HostCall, pipelineId: string | undefined) => HostAnswer;

/** Void host calls carry this call id and take no response (PowerShell RemoteHostCall.VoidCallId). */
export const VOID_CALL_ID = -100n;

/**
 * The default for an unattended client: every call that needs an answer is refused with an error, so
 * a script calling Read-Host or Get-Credential fails at once instead of waiting for a person forever.
 */
export const refuseHostCalls: HostResponder = (call) => ({
  error: `The psremoting client has no interactive host; the remote command called ${call.method}, which needs one.`,
});
