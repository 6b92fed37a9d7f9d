/**
 * WMI `Win32_Process.Create` over WS-Man (spec-derived: MS-WSMV WMI binding; no capture). The emulator
 * answers with Create_OUTPUT (ProcessId, ReturnValue 0); a command line the host understands (a WinRM
 * restart, registry writes: see restart-command.ts) then runs on the host after the answer is on the
 * wire. Any other command line is started as a detached local process through the local shell, with its
 * output discarded, as a process started by WMI has no console to report to.
 */
import { spawn } from 'node:child_process';
import { RESOURCE_URI, wmiMethodAction } from '../../wsman/soap';
import { child, childText, el } from '../../wsman/xml';
import { faults } from '../dispatch/emulator-fault';
import type { OperationResult, RequestContext } from '../dispatch/request-context';
import { hostSteps } from './restart-command';

const WIN32_PROCESS = RESOURCE_URI.win32Process;
let fakePid = 4000;

export function isWin32Process(uri: string): boolean {
  return uri.toLowerCase() === WIN32_PROCESS.toLowerCase();
}

export function win32ProcessOperation(ctx: RequestContext): OperationResult {
  if (ctx.env.action?.toLowerCase() !== wmiMethodAction(WIN32_PROCESS, 'Create').toLowerCase())
    throw faults.actionNotSupported(ctx.env.action ?? '');
  const input = child(ctx.env.body, WIN32_PROCESS, 'Create_INPUT');
  const commandLine = childText(input, WIN32_PROCESS, 'CommandLine');
  if (commandLine === undefined || commandLine === '') throw faults.invalidParameter();
  let pid: number;
  let afterResponse: (() => void) | undefined;
  const steps = hostSteps(commandLine);
  if (steps) {
    pid = ++fakePid;
    afterResponse = () => ctx.host.runOutOfBand(steps);
  } else {
    const proc = spawn('/bin/sh', ['-c', commandLine], { detached: true, stdio: 'ignore' });
    proc.on('error', () => undefined);
    proc.unref();
    pid = proc.pid ?? ++fakePid;
  }
  return {
    body: [el('p:Create_OUTPUT', [['xmlns:p', WIN32_PROCESS]], el('p:ProcessId', null, String(pid)), el('p:ReturnValue', null, '0'))],
    afterResponse,
  };
}
