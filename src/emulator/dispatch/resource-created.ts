import { el, type XmlNodeSpec } from '../../wsman/xml';

/** The x:ResourceCreated body of a Create answer: the new resource's endpoint reference (one selector). */
export function resourceCreated(address: string, resourceUri: string, selector: readonly [name: string, value: string]): XmlNodeSpec {
  return el(
    'x:ResourceCreated',
    null,
    el('a:Address', null, address),
    el(
      'a:ReferenceParameters',
      null,
      el('w:ResourceURI', null, resourceUri),
      el('w:SelectorSet', null, el('w:Selector', [['Name', selector[0]]], selector[1])),
    ),
  );
}
