/**
 * WMI `StdRegProv` (root/default) over WS-Man: GetStringValue, SetStringValue and CreateKey on the host's
 * registry. Spec-derived (MS-WSMV WMI binding, the StdRegProv MOF; no capture): Action
 * `<class URI>/<method>`, body `<p:<method>_INPUT>` with hDefKey (default HKLM, 2147483650), sSubKeyName,
 * sValueName[, sValue]; the answer `<p:<method>_OUTPUT>` with sValue (xsi:nil when absent) and
 * ReturnValue 0 (found / written / created) or 1 (no such value); SetStringValue on a missing key
 * answers 2 (ERROR_FILE_NOT_FOUND), as the real method does: CreateKey comes first.
 */
import { RESOURCE_URI, wmiMethodAction } from '../../wsman/soap';
import { child, childText, el, NS } from '../../wsman/xml';
import { HostRegistry } from '../virtual-host/host-registry';
import { faults } from '../dispatch/emulator-fault';
import type { OperationResult, RequestContext } from '../dispatch/request-context';

const STD_REG_PROV = RESOURCE_URI.stdRegProv;
const HKEY_LOCAL_MACHINE = '2147483650';
const NOT_FOUND = '1';
const KEY_NOT_FOUND = '2';

export function isStdRegProv(uri: string): boolean {
  return uri.toLowerCase() === STD_REG_PROV.toLowerCase();
}

export function stdRegProvOperation(ctx: RequestContext): OperationResult {
  const action = (ctx.env.action ?? '').toLowerCase();
  const method = ['GetStringValue', 'SetStringValue', 'CreateKey'].find((m) => action === wmiMethodAction(STD_REG_PROV, m).toLowerCase());
  if (!method) throw faults.actionNotSupported(ctx.env.action ?? '');
  const input = child(ctx.env.body, STD_REG_PROV, `${method}_INPUT`);
  const param = (name: string): string | undefined => childText(input, STD_REG_PROV, name);
  const path = HostRegistry.wmiPath(param('hDefKey') ?? HKEY_LOCAL_MACHINE, param('sSubKeyName') ?? '');
  const name = param('sValueName') ?? '';
  if (!input || !path) throw faults.invalidParameter();
  const registry = ctx.host.registry;
  if (method === 'CreateKey') {
    registry.createKey(path);
    ctx.host.persist();
    return output(method, el('p:ReturnValue', null, '0'));
  }
  if (method === 'SetStringValue') {
    if (!registry.hasKey(path)) return output(method, el('p:ReturnValue', null, KEY_NOT_FOUND));
    registry.set(path, name, param('sValue') ?? '');
    ctx.host.persist();
    return output(method, el('p:ReturnValue', null, '0'));
  }
  const value = registry.get(path, name);
  return output(
    method,
    value === undefined ? el('p:sValue', [['xsi:nil', 'true']]) : el('p:sValue', null, value),
    el('p:ReturnValue', null, value === undefined ? NOT_FOUND : '0'),
  );
}

function output(method: string, ...values: ReturnType<typeof el>[]): OperationResult {
  return {
    body: [
      el(
        `p:${method}_OUTPUT`,
        [
          ['xmlns:p', STD_REG_PROV],
          ['xmlns:xsi', NS.xsi],
        ],
        ...values,
      ),
    ],
  };
}
