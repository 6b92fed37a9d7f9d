export { NS, type NsPrefix } from './namespaces';
export { parseXml, XmlError, DEFAULT_XML_LIMITS, type XmlLimits } from './xml-parse';
export { child, childrenNamed, descend, attr, attrIgnoreCase, childText, type XmlElement, type XmlAttribute } from './xml-node';
export { el, writeXml, escapeText, escapeAttr, type XmlNodeSpec } from './xml-write';
export { parseBool, parseUint, INT32_MAX, UINT32_MAX } from './xsd-values';
