/** The declared content of a `psremoting_file`: which attribute gives it, its bytes as a source, its SHA-256. */
import { bytesSource, localFileSource, sourceSha256, type ContentSource } from '../../../host';
import { isUnknown, type Value } from '../../../tfplugin';
import { CONTENT_ATTRIBUTES, type ContentAttribute } from './file-schema';

type Declared = { readonly [K in ContentAttribute]: Value | undefined };

/** The content attributes set (unknown counts as set: it will be). */
export function contentAttributesSet(config: Declared): ContentAttribute[] {
  return CONTENT_ATTRIBUTES.filter((name) => config[name] !== null && config[name] !== undefined);
}

/** The content as a source to read and hash; undefined while a value is unknown. `source` is read from the local disk. */
export async function declaredContent(config: Declared): Promise<ContentSource | undefined> {
  const [which] = contentAttributesSet(config);
  if (which === undefined) return undefined;
  const v = config[which];
  if (isUnknown(v) || typeof v !== 'string') return undefined;
  switch (which) {
    case 'content':
    case 'sensitive_content':
      return bytesSource(Buffer.from(v, 'utf8'));
    case 'content_base64':
      return bytesSource(Buffer.from(v, 'base64'));
    case 'source':
      return localFileSource(v);
  }
}

export { sourceSha256 };
