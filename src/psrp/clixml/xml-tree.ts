import { SaxesParser } from 'saxes';
import { PsrpError } from '../errors';
import { errorMessage } from '../../common';

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
  // One parser serves every document (creating a saxes parser costs more than parsing a small message);
  // after any failure it is dropped, so a broken document never leaves state behind.
  const reader = (shared ??= new TreeReader());
  try {
    return reader.read(source, limits);
  } catch (e) {
    shared = undefined;
    if (e instanceof PsrpError) throw e;
    throw new PsrpError('clixml', `malformed CLIXML: ${e instanceof Error ? e.message : String(e)}`);
  }
}

let shared: TreeReader | undefined;

class TreeReader {
  private readonly parser = new SaxesParser({ xmlns: false });
  private stack: XmlNode[] = [];
  private root: XmlNode | undefined;
  private elements = 0;
  private failure: unknown;
  private limits: XmlTreeLimits = { maxChars: 0, maxDepth: 0, maxElements: 0 };

  constructor() {
    const p = this.parser;
    p.on('doctype', () => {
      throw new PsrpError('clixml', 'a document type declaration (DTD) is refused in CLIXML');
    });
    p.on('processinginstruction', (pi) => {
      throw new PsrpError('clixml', `processing instruction <?${pi.target}?> is refused in CLIXML`);
    });
    p.on('opentag', (tag) => {
      this.elements += 1;
      if (this.elements > this.limits.maxElements) throw new PsrpError('limit', `CLIXML has more than ${this.limits.maxElements} elements`);
      if (this.stack.length >= this.limits.maxDepth) throw new PsrpError('limit', `CLIXML is nested deeper than ${this.limits.maxDepth}`);
      const node: XmlNode = { name: tag.name, attributes: { ...tag.attributes }, children: [], text: '' };
      const parent = this.stack[this.stack.length - 1];
      if (parent) parent.children.push(node);
      else if (this.root) throw new PsrpError('clixml', 'CLIXML has more than one root element');
      else this.root = node;
      this.stack.push(node);
    });
    const onText = (t: string): void => {
      const top = this.stack[this.stack.length - 1];
      if (top) top.text += t;
      else if (t.trim() !== '') throw new PsrpError('clixml', 'text outside the CLIXML root element');
    };
    p.on('text', onText);
    p.on('cdata', onText);
    p.on('closetag', () => {
      this.stack.pop();
    });
    p.on('error', (e) => {
      this.failure ??= e;
    });
  }

  read(source: string, limits: XmlTreeLimits): XmlNode {
    this.limits = limits;
    this.stack = [];
    this.root = undefined;
    this.elements = 0;
    this.failure = undefined;
    this.parser.write(source).close();
    if (this.failure !== undefined)
      throw this.failure instanceof Error ? this.failure : new PsrpError('clixml', errorMessage(this.failure));
    if (!this.root) throw new PsrpError('clixml', 'CLIXML has no element');
    return this.root;
  }
}

/** Escapes text for an XML element body or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
