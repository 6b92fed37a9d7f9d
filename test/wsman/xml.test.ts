import { parseXml, XmlError, NS, child, descend, attr, attrIgnoreCase, el, writeXml } from '../../src/wsman/xml';

const envelope = `<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xml:lang="en-US" xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:w="${NS.w}">
  <s:Header><a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</a:Action></s:Header>
  <s:Body><PlugInConfiguration xmlns="${NS.plugin}" Name="microsoft.powershell" MaxIdleTimeoutMs="1"><![CDATA[a<b]]>&amp;&#65;</PlugInConfiguration></s:Body>
</s:Envelope>`;

describe('parseXml', () => {
  it('resolves namespaces whatever the prefixes', () => {
    const root = parseXml(envelope);
    expect([root.ns, root.local, root.prefix]).toEqual([NS.s, 'Envelope', 's']);
    expect(descend(root, [NS.s, 'Header'], [NS.a, 'Action'])?.text).toBe('http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse');
    const plugin = child(child(root, NS.s, 'Body'), NS.plugin, 'PlugInConfiguration');
    expect(attr(plugin, 'Name')).toBe('microsoft.powershell');
    expect(attr(root, 'lang', NS.xml)).toBe('en-US');
    expect(attrIgnoreCase(plugin, 'MaxIdleTimeoutms')).toBe('1');
    expect(plugin?.text).toBe('a<b&A');
  });

  it('refuses a DTD, so entity expansion can never happen', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><r>&lol2;</r>`;
    expect(() => parseXml(bomb)).toThrow(/DTD/);
  });

  it('refuses undefined entities and external references', () => {
    expect(() => parseXml('<r>&xxe;</r>')).toThrow(XmlError);
  });

  it('bounds depth, element count and size', () => {
    const deep = '<a>'.repeat(100) + '</a>'.repeat(100);
    expect(() => parseXml(deep)).toThrow(/deeper than 64/);
    const wide = `<r>${'<i/>'.repeat(50)}</r>`;
    expect(() => parseXml(wide, { maxChars: 1e6, maxDepth: 8, maxElements: 10, maxAttributesPerElement: 4 })).toThrow(
      /more than 10 elements/,
    );
    expect(() => parseXml(wide, { maxChars: 20, maxDepth: 8, maxElements: 100, maxAttributesPerElement: 4 })).toThrow(/exceeds the limit/);
  });

  it('rejects malformed documents with XmlError', () => {
    for (const bad of ['', '<a>', '<a></b>', 'text', '<a/><b/>', '<p:a/>']) {
      expect(() => parseXml(bad)).toThrow(XmlError);
    }
  });
});

describe('writeXml', () => {
  it('escapes and round-trips', () => {
    const text = writeXml(
      el(
        'r',
        [
          ['v', 'a"<&\n'],
          ['skip', undefined],
        ],
        el('c', null, 'x<y&z'),
        el('e'),
      ),
    );
    expect(text).toBe('<r v="a&quot;&lt;&amp;&#10;"><c>x&lt;y&amp;z</c><e/></r>');
    const back = parseXml(text);
    expect(attr(back, 'v')).toBe('a"<&\n');
    expect(back.children[0]?.text).toBe('x<y&z');
  });
});

describe('limits trip while reading, before any tree is built', () => {
  // 15 MB with 1.25 M attributes on one element: what a hostile host sent in the hardening review.
  const hostile = `<r ${Array.from({ length: 1_250_000 }, (_, i) => `a${i}=""`).join(' ')}/>`;

  it('a start tag with more attributes than allowed is refused with little memory', () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    expect(() => parseXml(hostile)).toThrow(/XML element <r> has more than 256 attributes/);
    // Refused after reading 256 of them: the heap grows by far less than the attribute objects would need.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('counts attributes outside quoted values, namespace declarations included, and skips comments and CDATA', () => {
    const limits = { maxChars: 1e6, maxDepth: 8, maxElements: 100, maxAttributesPerElement: 2 };
    expect(() => parseXml('<r a="x=y" b=\'=\'><!-- c= d= e= --><![CDATA[ f= g= h= ]]></r>', limits)).not.toThrow();
    expect(() => parseXml('<r xmlns:p="urn:p" a="1" b="2"/>', limits)).toThrow(/<r> has more than 2 attributes/);
  });
});
