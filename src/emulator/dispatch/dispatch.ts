/** Routes an authenticated request to the handler of its resource. */
import { ACTION, RESOURCE_URI } from '../../wsman/soap';
import { configOperation, isConfigPart } from '../config/config-operations';
import { pluginOperation } from '../config/plugin-operations';
import { isShellResource, shellOperation } from '../shells/shell-operations';
import { isWin32Process, win32ProcessOperation } from '../wmi/win32-process';
import { isStdRegProv, stdRegProvOperation } from '../wmi/std-reg-prov';
import { faults } from './emulator-fault';
import type { OperationResult, RequestContext } from './request-context';

export async function dispatch(ctx: RequestContext): Promise<OperationResult> {
  const { env, host } = ctx;
  if (env.operationTimeout !== undefined && env.operationTimeoutMs === undefined) throw faults.invalidTimeoutHeader(env.operationTimeout);
  if (env.action === ACTION.Pull) return host.enumerations.pull(ctx);
  if (env.action === ACTION.Release) return host.enumerations.release(ctx);
  const uri = env.resourceUri ?? '';
  if (uri.toLowerCase() === RESOURCE_URI.configPlugin.toLowerCase()) return pluginOperation(ctx);
  if (isConfigPart(uri)) return configOperation(ctx);
  if (isShellResource(uri)) return shellOperation(ctx);
  if (isWin32Process(uri)) return win32ProcessOperation(ctx);
  if (isStdRegProv(uri)) return stdRegProvOperation(ctx);
  throw faults.unknownResource(uri);
}
