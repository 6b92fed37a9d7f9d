export { DEFAULT_CLIXML_LIMITS, deserializeClixml, type ClixmlLimits } from './deserialize';
export { serializeClixml, toPsValue, type PsInput } from './serialize';
export { decodeCliString, encodeCliString } from './string-escape';
export {
  PRIMITIVE_TAGS,
  PsObject,
  PsScalar,
  TYPE_NAMES,
  numberProperty,
  psDictionary,
  psEnum,
  psList,
  psPropertyBag,
  stringProperty,
  toPlain,
  type ContainerKind,
  type PrimitiveTag,
  type PsValue,
} from './values';
