import { attr, parseXml, XmlError, type XmlElement } from '../../wsman/xml';

/**
 * PowerShell started with -EncodedCommand and redirected stderr writes its error, warning, verbose
 * and progress streams as serialized objects: `#< CLIXML` followed by an `<Objs>` document (pywinrm's
 * fixture get_ps_output_response.xml shows one). Users need the text, not the serialization.
 */
const MARKER = '#< CLIXML';

const STREAM_PREFIX: Record<string, string> = {
  error: '',
  warning: 'WARNING: ',
  verbose: 'VERBOSE: ',
  debug: 'DEBUG: ',
  information: '',
};

/** Decodes `_xHHHH_` escapes, which CLIXML uses for control characters such as CR/LF. */
export function decodeClixmlString(s: string): string {
  return s.replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function renderObjs(objs: XmlElement): string {
  let out = '';
  for (const item of objs.children) {
    // <S S="Error">text</S>; progress records are <Obj S="progress"> and are noise in a captured log.
    if (item.local !== 'S') continue;
    const stream = (attr(item, 'S') ?? 'error').toLowerCase();
    const prefix = STREAM_PREFIX[stream];
    if (prefix === undefined) continue;
    out += prefix + decodeClixmlString(item.text);
  }
  return out;
}

/** Turns a stderr text that carries CLIXML into readable text; other text is returned as it is. */
export function readableStderr(stderr: string): string {
  if (!stderr.includes(MARKER)) return stderr;
  let out = '';
  for (const part of stderr.split(MARKER)) {
    const body = part.trim();
    if (body === '') continue;
    if (!body.startsWith('<Objs')) {
      out += body + '\n';
      continue;
    }
    try {
      out += renderObjs(parseXml(body));
    } catch (e) {
      if (!(e instanceof XmlError)) throw e;
      out += body + '\n'; // not well-formed (e.g. cut by the size cap): show what there is
    }
  }
  return out.replace(/\r\n/g, '\n');
}
