/**
 * Get/Put of `winrm/config` and its parts. Get answers from the stored configuration; a Put is checked
 * leaf by leaf (unknown settings and bad values refused as w:SchemaValidationError, spec-derived), then
 * merged, persisted and echoed back as the part's new content (MS-WSMV 3.1.4.3 Put returns the resource).
 */
import { ACTION, RESOURCE_URI } from '../../wsman/soap';
import { faults } from '../wsman/emulator-fault';
import type { OperationResult, RequestContext } from '../wsman/request-context';
import { collectLeafWrites, findNode, isSection, toSpec, type ConfigSection } from './config-tree';
import { configValueProblem } from './config-rules';

/** ResourceURI → path of the part below cfg:Config. */
const PARTS: ReadonlyMap<string, readonly string[]> = new Map([
  [RESOURCE_URI.config.toLowerCase(), []],
  [RESOURCE_URI.configClient.toLowerCase(), ['Client']],
  [`${RESOURCE_URI.configClient}/auth`.toLowerCase(), ['Client', 'Auth']],
  [RESOURCE_URI.configService.toLowerCase(), ['Service']],
  [RESOURCE_URI.configServiceAuth.toLowerCase(), ['Service', 'Auth']],
  [RESOURCE_URI.configWinrs.toLowerCase(), ['Winrs']],
]);

export function isConfigPart(resourceUri: string): boolean {
  return PARTS.has(resourceUri.toLowerCase());
}

export function configOperation(ctx: RequestContext): OperationResult {
  const path = PARTS.get((ctx.env.resourceUri ?? '').toLowerCase()) ?? [];
  const node = path.length === 0 ? ctx.host.stored.config : findNode(ctx.host.stored.config, path);
  if (!node || !isSection(node)) throw faults.unknownResource(ctx.env.resourceUri ?? '');
  if (ctx.env.action === ACTION.Get) return { body: [toSpec(node)] };
  if (ctx.env.action === ACTION.Put && path.length > 0) return put(ctx, node, path);
  throw faults.actionNotSupported(ctx.env.action ?? '');
}

function put(ctx: RequestContext, target: ConfigSection, path: readonly string[]): OperationResult {
  const body = ctx.env.body.children[0];
  if (!body || body.local.toLowerCase() !== target.name.toLowerCase()) {
    throw faults.schemaValidation(`The body of a Put on ${ctx.env.resourceUri} must be a cfg:${target.name} element.`);
  }
  const { writes, problems } = collectLeafWrites(target, body, `${path.join('/')}/`);
  for (const w of writes) {
    const problem = configValueProblem(w.path, w.value);
    if (problem) problems.push({ path: w.path, message: problem });
  }
  if (problems.length > 0) throw faults.schemaValidation(problems.map((p) => p.message).join('; '));
  for (const w of writes) w.leaf.value = w.value;
  ctx.host.persist();
  return { body: [toSpec(target)] };
}
