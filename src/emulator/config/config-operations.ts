/**
 * Get/Put of `winrm/config` and its parts, on the shared cfg:Config model (src/wsman/config). A part's
 * Put body is placed under its parent sections and read as a whole cfg:Config, so one codec, one
 * validator and one merge serve every part. Settings that are not part of the schema, and bad values,
 * are refused as w:SchemaValidationError (spec-derived; no capture of a refused config Put exists). The
 * answer to a Put is the part's new content (MS-WSMV 3.1.4.3: Put returns the resource).
 */
import { ACTION, RESOURCE_URI } from '../../wsman/soap';
import { NS, XmlError, type XmlElement, type XmlNodeSpec } from '../../wsman/xml';
import { CONFIG_SPEC, mergeWinrmConfig, parseWinrmConfig, winrmConfigSpec, type SectionSpec, type WinrmConfig } from '../../wsman/config';
import { faults } from '../dispatch/emulator-fault';
import type { OperationResult, RequestContext } from '../dispatch/request-context';
import { validateWinrmConfig } from '../../wsman/server';

/** ResourceURI → element path of the part below cfg:Config. */
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
  if (ctx.env.action === ACTION.Get) return { body: [partSpec(ctx.host.stored.config, path)] };
  if (ctx.env.action === ACTION.Put) return put(ctx, path);
  throw faults.actionNotSupported(ctx.env.action ?? '');
}

/** The part at `path` as a Body child declaring its own `cfg` prefix. */
function partSpec(config: WinrmConfig, path: readonly string[]): XmlNodeSpec {
  let node = winrmConfigSpec(config);
  for (const step of path) {
    const next = node.children?.find((c): c is XmlNodeSpec => typeof c !== 'string' && c.name === `cfg:${step}`);
    if (!next) return { name: `cfg:${step}`, attrs: [['xmlns:cfg', NS.cfg]] };
    node = next;
  }
  return path.length === 0 ? node : { ...node, attrs: [['xmlns:cfg', NS.cfg], ...(node.attrs ?? [])] };
}

function put(ctx: RequestContext, path: readonly string[]): OperationResult {
  const element = path[path.length - 1] ?? 'Config';
  const body = ctx.env.body.children[0];
  if (!body || body.ns !== NS.cfg || body.local.toLowerCase() !== element.toLowerCase()) {
    throw faults.schemaValidation(`The body of a Put on ${ctx.env.resourceUri ?? ''} must be a cfg:${element} element.`);
  }
  let update: WinrmConfig;
  try {
    const parents = path.length === 0 ? [] : ['Config', ...path.slice(0, -1)];
    update = parseWinrmConfig(parents.reduceRight((inner, name) => section(name, inner), body));
  } catch (e) {
    if (e instanceof XmlError) throw faults.schemaValidation(e.message);
    throw e;
  }
  const problems = [
    ...unknownSettings(update as unknown as SectionRecord, CONFIG_SPEC, 'Config'),
    ...validateWinrmConfig(update).map((f) => `${f.path}: ${f.message}`),
  ];
  if (problems.length > 0) throw faults.schemaValidation(problems.join('; '));
  ctx.host.stored.config = mergeWinrmConfig(ctx.host.stored.config, update);
  ctx.host.persist();
  return { body: [partSpec(ctx.host.stored.config, path)] };
}

/** A cfg section element wrapping one child, to place a part's body at its path in cfg:Config. */
function section(name: string, inner: XmlElement): XmlElement {
  return { ns: NS.cfg, local: name, prefix: 'cfg', attributes: [], children: [inner], text: '' };
}

type SectionRecord = Record<string, unknown> & { extra: { elements: readonly XmlElement[] } };

/** Elements the schema does not know (kept by the codec for round trips) are not settings one can Put. */
function unknownSettings(record: SectionRecord, spec: SectionSpec, path: string): string[] {
  const out = record.extra.elements.map((e) => `${path}/${e.local} is not a setting of ${spec.element}`);
  for (const m of spec.members) {
    const v = record[m.key];
    if ('section' in m && v !== undefined) out.push(...unknownSettings(v as SectionRecord, m.section, `${path}/${m.section.element}`));
  }
  return out;
}
