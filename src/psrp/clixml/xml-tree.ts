import { SaxesParser } from 'saxes';
import { PsrpError } from '../errors';

/**
 * A small bounded XML reader for CLIXML, on saxes (the project's XML tokenizer). It refuses any DOCTYPE
 * (so no DTD and no declared or external entities), processing instructions, and every entity other than
 * the five predefined ones and character references; size, depth and element count are bounded. It lives
 * here rather than reusing src/wsman's reader because psrp may not import wsman (DESIGN.md layer rule).
 * Namespaces are ignored: CLIXML uses only the PowerShell namespace on `Objs`.
 */

export interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
  text: string;
}

export interface XmlTreeLimits {
  /** Largest document, in UTF-16 units. */
  readonly maxChars: number;
  readonly maxDepth: number;
  readonly maxElements: number;
}

export function parseXmlTree(source: string, limits: XmlTreeLimits): XmlNode {
  if (source.length > limits.maxChars) {
    throw new PsrpError('limit', `CLIXML of ${source.length} characters exceeds the limit of ${limits.maxChars}`);
  }
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let elements = 0;
  let failure: unknown;

  parser.on('doctype', () => {
    throw new PsrpError('clixml', 'a document type declaration (DTD) is refused in CLIXML');
  });
  parser.on('processinginstruction', (pi) => {
    throw new PsrpError('clixml', `processing instruction <?${pi.target}?> is refused in CLIXML`);
  });
  parser.on('opentag', (tag) => {
    elements += 1;
    if (elements > limits.maxElements) throw new PsrpError('limit', `CLIXML has more than ${limits.maxElements} elements`);
    if (stack.length >= limits.maxDepth) throw new PsrpError('limit', `CLIXML is nested deeper than ${limits.maxDepth}`);
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[k] = v;
    const node: XmlNode = { name: tag.name, attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else if (root) throw new PsrpError('clixml', 'CLIXML has more than one root element');
    else root = node;
    stack.push(node);
  });
  const onText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
    else if (t.trim() !== '') throw new PsrpError('clixml', 'text outside the CLIXML root element');
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('error', (e) => {
    failure ??= e;
  });
  try {
    parser.write(source).close();
  } catch (e) {
    failure ??= e;
  }
  if (failure !== undefined) {
    if (failure instanceof PsrpError) throw failure;
    throw new PsrpError('clixml', `malformed CLIXML: ${failure instanceof Error ? failure.message : String(failure)}`);
  }
  if (!root) throw new PsrpError('clixml', 'CLIXML has no element');
  return root;
}

/** Escapes text for an XML element body or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
