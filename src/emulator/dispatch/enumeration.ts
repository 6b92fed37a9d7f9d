/**
 * WS-Enumeration for the emulator's collections (plugins, shells). With `w:OptimizeEnumeration` the
 * first batch comes in the EnumerateResponse itself (captured shape: test_psrp_disconnect_runspaces; an empty
 * collection has no w:Items at all, as the commands of an idle shell there);
 * otherwise the response carries only a context that Pull reads, `n:MaxElements` at a time (default 1,
 * DSP0226 / WS-Enumeration), ending with `n:EndOfSequence`. Contexts of every collection expire after the
 * service's EnumerationTimeoutms.
 */
import { randomUUID } from 'node:crypto';
import { NS, child, childText, el, type XmlNodeSpec, parseUint } from '../../wsman/xml';
import { faults } from './emulator-fault';
import type { OperationResult, RequestContext } from './request-context';

interface Context {
  items: XmlNodeSpec[];
  expires: number;
}

const MAX_CONTEXTS = 1000;
/** Windows' default Service/EnumerationTimeoutms. */
const DEFAULT_ENUMERATION_TIMEOUT_MS = 240_000;

export class Enumerations {
  private readonly contexts = new Map<string, Context>();

  enumerate(ctx: RequestContext, items: XmlNodeSpec[]): OperationResult {
    const timeoutMs = parseUint(ctx.host.stored.config.service?.enumerationTimeoutms) || DEFAULT_ENUMERATION_TIMEOUT_MS;
    const request = child(ctx.env.body, NS.n, 'Enumerate');
    const optimize = child(request, NS.w, 'OptimizeEnumeration') !== undefined;
    if (optimize) {
      const max = positiveInt(childText(request, NS.w, 'MaxElements')) ?? 1;
      const first = items.slice(0, max);
      const rest = items.slice(max);
      const id = rest.length > 0 ? this.store(rest, timeoutMs) : '';
      return {
        body: [
          el(
            'n:EnumerateResponse',
            null,
            el('n:EnumerationContext', null, id),
            first.length > 0 && el('w:Items', null, ...first),
            rest.length === 0 && el('w:EndOfSequence'),
          ),
        ],
      };
    }
    return { body: [el('n:EnumerateResponse', null, el('n:EnumerationContext', null, this.store(items, timeoutMs)))] };
  }

  pull(ctx: RequestContext): OperationResult {
    const request = child(ctx.env.body, NS.n, 'Pull');
    const id = childText(request, NS.n, 'EnumerationContext') ?? '';
    const c = this.contexts.get(id);
    if (!c || c.expires < Date.now()) {
      this.contexts.delete(id);
      throw faults.invalidEnumerationContext();
    }
    const max = positiveInt(childText(request, NS.n, 'MaxElements')) ?? 1;
    const batch = c.items.splice(0, max);
    const done = c.items.length === 0;
    if (done) this.contexts.delete(id);
    return {
      body: [
        el(
          'n:PullResponse',
          null,
          !done && el('n:EnumerationContext', null, id),
          el('n:Items', null, ...batch),
          done && el('n:EndOfSequence'),
        ),
      ],
    };
  }

  release(ctx: RequestContext): OperationResult {
    const id = childText(child(ctx.env.body, NS.n, 'Release'), NS.n, 'EnumerationContext') ?? '';
    this.contexts.delete(id);
    return { body: [] };
  }

  private store(items: XmlNodeSpec[], timeoutMs: number): string {
    const now = Date.now();
    for (const [k, v] of this.contexts) if (v.expires < now) this.contexts.delete(k);
    // Bound what abandoned enumerations can hold: the oldest context goes first.
    if (this.contexts.size >= MAX_CONTEXTS) this.contexts.delete(this.contexts.keys().next().value as string);
    const id = `uuid:${randomUUID().toUpperCase()}`;
    this.contexts.set(id, { items, expires: now + timeoutMs });
    return id;
  }
}

function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}
