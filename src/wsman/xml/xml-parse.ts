import { errorMessage } from '../../common';
import { WsmanError } from '../faults/errors';
import { SaxesParser } from 'saxes';
import { exceededMarkupBound } from './markup-bounds';
import { timed } from '../../common/profile';
import type { XmlAttribute, XmlElement } from './xml-node';

/** Bounds on what a peer may send; hostile or broken documents fail with XmlError, never exhaust memory. */
export interface XmlLimits {
  /** Maximum document size in UTF-16 code units (≈ bytes for the ASCII-heavy SOAP we see). */
  readonly maxChars: number;
  readonly maxDepth: number;
  readonly maxElements: number;
  /** Namespace declarations included. */
  readonly maxAttributesPerElement: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  // Windows caps an envelope at MaxEnvelopeSizekb (150 KiB default, 512 KiB for PSRP); leave headroom for
  // base64 stream payloads and plugin enumerations of large hosts.
  maxChars: 16 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 200_000,
  maxAttributesPerElement: 256,
};

/** Malformed, oversized or DTD-carrying XML (an answer or request a WS-Man peer would not send). */
export class XmlError extends WsmanError {
  override readonly name = 'XmlError';
}

interface Building {
  ns: string;
  local: string;
  prefix: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  text: string;
}

/**
 * V8 makes a substring of 13 characters or more a view of its source (a SlicedString,
 * v8/src/objects/string.h: SlicedString::kMinLength), and saxes hands out substrings of the document.
 * A parsed value kept in a cache (a host's plugin list, its restart marker) would then keep the whole
 * response text alive: a kept plugin list cost about 35 KB with those views, 25 KB without
 * (bench/fleet.ts). Values that are a small part of their document are copied out, and names, which
 * repeat, once per document; a value that is most of it (a PSRP stream's base64) pins little more than
 * itself and is read once, so copying it would only add a pass over the largest answers (a 500 KB
 * Receive answer: 15.1 ms a parse copying everything, 13.9 ms so, 13.4 ms copying nothing).
 */
const SLICED_MIN_LENGTH = 13;
const SMALL_PART = 4;

/**
 * Parses a complete XML document into a namespace-resolved tree.
 * Refuses any DOCTYPE (so no DTD, no entity declarations, no external entities) and any entity
 * other than the five predefined ones and character references.
 */
export function parseXml(source: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  return timed('xml', () => parseDocument(source, limits));
}

function parseDocument(source: string, limits: XmlLimits): XmlElement {
  if (source.length > limits.maxChars) {
    throw new XmlError(`XML document of ${source.length} characters exceeds the limit of ${limits.maxChars}`);
  }
  const exceeded = exceededMarkupBound(source, limits);
  if (exceeded) throw new XmlError(exceeded);
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  const detached = (s: string): string =>
    s.length < SLICED_MIN_LENGTH || s.length * SMALL_PART > source.length ? s : Buffer.from(s, 'utf8').toString('utf8');
  const names = new Map<string, string>();
  const name = (s: string): string => {
    let copy = names.get(s);
    if (copy === undefined) names.set(s, (copy = detached(s)));
    return copy;
  };

  parser.on('doctype', () => {
    throw new XmlError('XML document type declarations (DTD) are refused');
  });
  parser.on('processinginstruction', (pi) => {
    throw new XmlError(`XML processing instruction <?${pi.target}?> is refused`);
  });
  parser.on('opentag', (tag) => {
    if (stack.length + 1 > limits.maxDepth) throw new XmlError(`XML document is nested deeper than ${limits.maxDepth}`);
    const attributes: XmlAttribute[] = [];
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attributes.push({ ns: name(a.uri ?? ''), local: name(a.local), prefix: name(a.prefix), value: detached(a.value) });
    }
    stack.push({ ns: name(tag.uri ?? ''), local: name(tag.local), prefix: name(tag.prefix), attributes, children: [], text: '' });
  });
  const onText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
    else if (t.trim() !== '') throw new XmlError('XML text outside the root element');
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const done = stack.pop();
    if (!done) return;
    done.text = detached(done.text);
    const el: XmlElement = done;
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
  });
  parser.on('error', (e) => {
    failure ??= e;
  });

  try {
    parser.write(source).close();
  } catch (e) {
    failure ??= e instanceof Error ? e : new XmlError(`malformed XML: ${errorMessage(e)}`);
  }
  if (failure) {
    throw failure instanceof XmlError ? failure : new XmlError(`malformed XML: ${failure.message}`);
  }
  if (!root) throw new XmlError('XML document has no root element');
  return root;
}
