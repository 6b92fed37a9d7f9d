export { NS, type NsPrefix } from './namespaces';
export { parseXml, XmlError, type XmlLimits } from './xml-parse';
export { child, childrenNamed, descend, attr, attrIgnoreCase, childText, type XmlElement, type XmlAttribute } from './xml-node';
export { el, writeXml, type XmlNodeSpec } from './xml-write';
export { parseBool, parseUint, INT32_MAX, UINT32_MAX } from './xsd-values';
