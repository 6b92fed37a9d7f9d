import { NS, child, childText, el, type XmlElement, type XmlNodeSpec } from '../../xml';
import { WsmanBadResponseError } from '../../faults/errors';
import { SELECTOR_FILTER_DIALECT } from '../../soap/resource-uris';

/** Enumerate with OptimizeEnumeration, so small result sets come back in one round trip. */
export function enumerateBody(maxElements: number, selectorFilter?: Readonly<Record<string, string>>): XmlNodeSpec {
  const filter =
    selectorFilter &&
    el(
      'w:Filter',
      [['Dialect', SELECTOR_FILTER_DIALECT]],
      el('w:SelectorSet', null, ...Object.entries(selectorFilter).map(([name, value]) => el('w:Selector', [['Name', name]], value))),
    );
  return el('n:Enumerate', null, el('w:OptimizeEnumeration'), el('w:MaxElements', null, String(maxElements)), filter);
}

export function pullBody(context: string, maxElements: number): XmlNodeSpec {
  return el('n:Pull', null, el('n:EnumerationContext', null, context), el('n:MaxElements', null, String(maxElements)));
}

export function releaseBody(context: string): XmlNodeSpec {
  return el('n:Release', null, el('n:EnumerationContext', null, context));
}

export interface EnumerationPage {
  readonly items: readonly XmlElement[];
  /** Context for the next Pull; undefined at the end. */
  readonly context?: string;
  readonly endOfSequence: boolean;
}

/** Reads an EnumerateResponse (optimized items are in w:Items) or a PullResponse (n:Items). */
export function readEnumerationPage(body: XmlElement): EnumerationPage {
  const response = child(body, NS.n, 'EnumerateResponse') ?? child(body, NS.n, 'PullResponse');
  if (!response) throw new WsmanBadResponseError('expected an EnumerateResponse or PullResponse');
  const items = child(response, NS.w, 'Items') ?? child(response, NS.n, 'Items');
  const endOfSequence = child(response, NS.w, 'EndOfSequence') !== undefined || child(response, NS.n, 'EndOfSequence') !== undefined;
  const context = childText(response, NS.n, 'EnumerationContext');
  return { items: items?.children ?? [], context: endOfSequence || !context ? undefined : context, endOfSequence };
}
