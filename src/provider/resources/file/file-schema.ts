/** The schema of `psremoting_file`: a file on a host, its content from one of four sources, its SHA-256. */
import { hostProblem, windowsPathProblem } from '../../../host';
import { attr, defineSchema, t } from '../../../tfplugin';

export const TYPE_NAME = 'psremoting_file';

/** The attributes that give the content; exactly one is set. */
export const CONTENT_ATTRIBUTES = ['content', 'content_base64', 'source', 'sensitive_content'] as const;
export type ContentAttribute = (typeof CONTENT_ATTRIBUTES)[number];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const EXACTLY_ONE = 'Exactly one of `content`, `content_base64`, `source` and `sensitive_content` is set.';

export const fileSchema = defineSchema({
  description:
    "A file on a Windows host, written over a PowerShell session on the host's administrative endpoint (Microsoft.PowerShell) the way " +
    "`Copy-Item -ToSession` does: in chunks that fit the host's MaxEnvelopeSize, into a temporary file beside the target that then " +
    'replaces it in one step, with missing parent folders created. Every refresh reads the SHA-256 of the file on the host: a file ' +
    'edited or deleted by hand shows as drift and is written again. Destroying the resource deletes the file. The files of one host ' +
    'share one session. Import with `terraform import <address> <host>/<path>`.',
  attributes: {
    id: attr.computed(t.string, { keepOnUpdate: true, description: '`<host>/<path>`.' }),
    host: attr.required(t.string, {
      validators: [(v) => hostProblem(v)],
      description:
        'The host: a name, `name:port`, or an `http(s)://name[:port]/wsman` URL. Moving to another host replaces the file; another spelling of the same host does not.',
    }),
    path: attr.required(t.string, {
      validators: [
        (v) => {
          const p = windowsPathProblem(v);
          return p && `path ${p}`;
        },
      ],
      description:
        'The absolute Windows path of the file, for example `C:\\ProgramData\\app\\settings.json` (in HCL, `"C:\\\\ProgramData\\\\app\\\\settings.json"`). ' +
        'A change replaces the file (the old one is deleted); a change of letter case only is the same file on Windows and rewrites it in place.',
    }),
    content: attr.optional(t.string, { description: `The content as text, written as UTF-8 without a byte order mark. ${EXACTLY_ONE}` }),
    content_base64: attr.optional(t.string, {
      validators: [(v) => (BASE64.test(v) ? undefined : 'content_base64 must be standard base64 (RFC 4648, padded)')],
      description: `The content as base64, for binary files (\`filebase64()\` gives it). ${EXACTLY_ONE}`,
    }),
    source: attr.optional(t.string, {
      validators: [(v) => (v.trim() === '' ? 'source must not be empty' : undefined)],
      description:
        'A local file to copy, relative to the working directory or absolute. Its SHA-256 is computed at plan time, so a changed source file plans an update. ' +
        EXACTLY_ONE,
    }),
    sensitive_content: attr.optional(t.string, {
      sensitive: true,
      description:
        'The content as text (UTF-8), sensitive: never shown in plans or logs. `sha256` still shows its hash, as for any content. ' +
        EXACTLY_ONE,
    }),
    sha256: attr.computed(t.string, {
      description:
        'The SHA-256 of the file on the host, upper-case hex as Get-FileHash writes it. The plan shows the hash of the declared content; a difference is drift.',
    }),
  },
});
