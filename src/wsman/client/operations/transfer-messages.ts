import { NS, child, childText, type XmlElement } from '../../xml';
import { readSelectorSet } from '../../soap/envelope-read';

/** What a WS-Transfer Create answered: the new resource's address and selectors (x:ResourceCreated). */
export interface ResourceCreated {
  readonly address?: string;
  readonly resourceUri?: string;
  readonly selectors: Readonly<Record<string, string>>;
}

export function readResourceCreated(body: XmlElement): ResourceCreated | undefined {
  const created = child(body, NS.x, 'ResourceCreated');
  if (!created) return undefined;
  const ref = child(created, NS.a, 'ReferenceParameters');
  return {
    address: childText(created, NS.a, 'Address'),
    resourceUri: childText(ref, NS.w, 'ResourceURI'),
    selectors: readSelectorSet(child(ref, NS.w, 'SelectorSet')),
  };
}
