/**
 * `winrm/config/plugin` (selector `Name`): Get, Put (whole document), Create, Delete, Enumerate/Pull.
 * Spec-derived (MS-WSMV 3.1.4.1.34.2; no public capture of these exchanges exists). Writes are judged
 * by validatePluginConfig; every finding becomes the fault WinRM answers with. Writes change the stored
 * configuration only: running shells keep the effective one until WinRM restarts.
 */
import { ACTION, ANONYMOUS_ADDRESS, RESOURCE_URI } from '../../wsman/soap';
import { NS, type XmlElement } from '../../wsman/xml';
import { parsePluginConfig, pluginConfigSpec, type ConfigFinding, type PluginConfig } from '../../wsman/config';
import { EmulatorFault, faults } from '../dispatch/emulator-fault';
import { resourceCreated } from '../dispatch/resource-created';
import { selector, type OperationResult, type RequestContext } from '../dispatch/request-context';
import { validatePluginConfig } from '../../wsman/server';
import { errorMessage } from '../../common';

export function pluginOperation(ctx: RequestContext): OperationResult {
  const { host, env } = ctx;
  const plugins = host.stored.plugins;
  switch (env.action) {
    case ACTION.Enumerate:
      return host.enumerations.enumerate(ctx, plugins.list().map(pluginConfigSpec));
    case ACTION.Get:
      return { body: [pluginConfigSpec(existing(ctx))] };
    case ACTION.Delete: {
      plugins.delete(existing(ctx).name ?? '');
      host.persist();
      return { body: [] };
    }
    case ACTION.Put: {
      const current = existing(ctx);
      const cfg = acceptDocument(ctx, current.name ?? '');
      plugins.set(current.name ?? '', cfg);
      host.persist();
      return { body: [pluginConfigSpec(cfg)] };
    }
    case ACTION.Create: {
      const name = selector(env, 'Name');
      if (name === undefined || name === '') throw faults.invalidSelectors();
      if (plugins.has(name)) throw faults.alreadyExists(name);
      const cfg = acceptDocument(ctx, name);
      plugins.set(name, cfg);
      host.persist();
      return { body: [resourceCreated(ANONYMOUS_ADDRESS, RESOURCE_URI.configPlugin, ['Name', name])] };
    }
    default:
      throw faults.actionNotSupported(env.action ?? '');
  }
}

function existing(ctx: RequestContext): PluginConfig {
  const name = selector(ctx.env, 'Name');
  const cfg = name === undefined ? undefined : ctx.host.stored.plugins.get(name);
  if (!cfg) throw faults.invalidSelectors();
  return cfg;
}

/** Parses and validates the PlugInConfiguration in the body; its Name must be the selector's (inference). */
function acceptDocument(ctx: RequestContext, name: string): PluginConfig {
  const root: XmlElement | undefined = ctx.env.body.children[0];
  if (!root || root.ns !== NS.plugin)
    throw faults.schemaValidation('The body must be a PlugInConfiguration element in the plugin configuration namespace.');
  let cfg: PluginConfig;
  try {
    cfg = parsePluginConfig(root);
  } catch (e) {
    throw faults.schemaValidation(errorMessage(e));
  }
  const findings: ConfigFinding[] = validatePluginConfig(cfg);
  if (cfg.name !== undefined && cfg.name.toLowerCase() !== name.toLowerCase()) {
    findings.push({
      path: '@Name',
      message: `PlugInConfiguration Name "${cfg.name}" does not match the selector Name "${name}"`,
      fault: 'InvalidParameter',
      basis: 'inference',
    });
  }
  const first = findings[0];
  if (first) throw findingFault(findings);
  return cfg;
}

function findingFault(findings: readonly ConfigFinding[]): EmulatorFault {
  const first = findings[0] as ConfigFinding;
  const text = findings.map((f) => `${f.path}: ${f.message}`).join('; ');
  if (first.fault === 'SchemaValidationError') return faults.schemaValidation(text);
  return faults.invalidConfiguration(text);
}
