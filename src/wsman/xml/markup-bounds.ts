/**
 * The element and attribute limits, checked in one pass over the text before the parser builds
 * anything: saxes collects every attribute of a tag (objects per attribute, namespace resolution)
 * before it reports the tag, so a single start tag with a million attributes cost hundreds of MB before
 * a check on the finished tag could refuse it. Hand-written because no XML parser we could use exposes
 * a bound that trips while a tag is still being read; it only counts, and the parse that follows stays
 * the judge of well-formedness.
 */
import type { XmlLimits } from './xml-parse';

const LT = 0x3c;
const GT = 0x3e;
const EQ = 0x3d;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** Markup whose content may hold `<`, `>` or `=` freely: skipped whole. */
const OPAQUE: ReadonlyArray<readonly [open: string, close: string]> = [
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
  ['<?', '?>'],
];

/**
 * Counts start tags and the attributes of each (`=` outside quoted values, namespace declarations
 * included) and returns the first limit exceeded, or undefined. Linear time, no allocation per tag.
 */
export function exceededMarkupBound(
  source: string,
  limits: Pick<XmlLimits, 'maxElements' | 'maxAttributesPerElement'>,
): string | undefined {
  let elements = 0;
  let at = 0;
  for (;;) {
    const lt = source.indexOf('<', at);
    if (lt < 0) return undefined;
    const opaque = OPAQUE.find(([open]) => source.startsWith(open, lt));
    if (opaque) {
      const end = source.indexOf(opaque[1], lt + opaque[0].length);
      if (end < 0) return undefined; // unterminated: the parser reports it
      at = end + opaque[1].length;
      continue;
    }
    const next = source.charCodeAt(lt + 1);
    if (next === SLASH || next === BANG || next === QUESTION) {
      at = lt + 1;
      continue;
    }
    elements += 1;
    if (elements > limits.maxElements) return `XML document has more than ${limits.maxElements} elements`;
    let attributes = 0;
    let quote = 0;
    let i = lt + 1;
    for (; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === DQUOTE || c === SQUOTE) {
        quote = c;
      } else if (c === EQ) {
        attributes += 1;
        if (attributes > limits.maxAttributesPerElement) {
          return `XML element <${source.slice(lt + 1, Math.min(lt + 1 + 64, i)).split(/[\s/>=]/)[0]}> has more than ${limits.maxAttributesPerElement} attributes`;
        }
      } else if (c === GT || c === LT) {
        break;
      }
    }
    at = i;
  }
}
