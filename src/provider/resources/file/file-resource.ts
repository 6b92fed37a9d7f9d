/**
 * `psremoting_file`: a file on a host (src/host/files), diffed by the SHA-256 the host computes. The
 * plan hashes the declared content (a `source` file is read then), so a changed source or a hand edit
 * on the host both show as a change of `sha256`. A write answers the hash of the file in place, which
 * must be the planned one.
 */
import { errorMessage } from '../../../common';
import { hostFiles, windowsPathProblem, type ContentSource, type Host } from '../../../host';
import { DiagnosticError, defineResource, isUnknown, unknown, type State } from '../../../tfplugin';
import { ifReachable, movesHost, onHost, withHosts, type Ctx } from '../../host-operations';
import type { ProviderState } from '../../provider-state';
import { contentAttributesSet, declaredContent, sourceSha256 } from './file-content';
import { fileSchema, TYPE_NAME } from './file-schema';

type FileState = State<typeof fileSchema>;

const sameFile = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export const fileResource = defineResource<ProviderState>()({
  typeName: TYPE_NAME,
  schema: fileSchema,

  validate(ctx, config) {
    const set = contentAttributesSet(config);
    if (set.length !== 1)
      ctx.diagnostics.error(
        'Invalid file content',
        set.length === 0
          ? 'Set one of content, content_base64, source or sensitive_content.'
          : `Set only one of content, content_base64, source and sensitive_content; ${set.join(' and ')} are set.`,
        set.length === 0 ? [] : [set[1]!],
      );
  },

  async plan(ctx, { prior, config, planned }) {
    const expected = await plannedHash(config);
    const host = config.host;
    const path = config.path;
    const id = typeof host === 'string' && typeof path === 'string' ? `${host}/${path}` : unknown;
    const next = { ...planned, sha256: expected ?? unknown, id: prior?.id ?? id };
    if (prior === null) return { planned: next };
    if (movesHost(ctx, prior, config)) return { planned: { ...next, id }, requiresReplace: [['host']] };
    if (typeof path === 'string' && !sameFile(path, prior.path)) return { planned: { ...next, id }, requiresReplace: [['path']] };
    return { planned: next };
  },

  async create(ctx, { config, planned }) {
    const sha256 = await writeDeclared(ctx, config, planned.sha256);
    return { state: { ...config, id: `${config.host}/${config.path}`, sha256 } };
  },

  async read(ctx, { state }) {
    const found = await withHosts(ctx, (pool) => {
      const host = pool.host(state.host);
      return ifReachable(ctx, host, `Reading the hash of ${state.path}`, 'The file keeps its last known state.', () =>
        hostFiles(host)
          .stat(state.path, ctx.signal)
          .then((stat) => stat ?? null),
      );
    });
    if (found === undefined) return { state }; // unreachable, with allow_stale_state: said as a warning
    if (found === null) return { state: null };
    return { state: { ...state, sha256: found.sha256 } };
  },

  async update(ctx, { prior, config, planned }) {
    const unchanged = prior.path === config.path && typeof planned.sha256 === 'string' && planned.sha256 === prior.sha256;
    const sha256 = unchanged ? prior.sha256 : await writeDeclared(ctx, config, planned.sha256);
    return { state: { ...config, id: prior.id, sha256 } };
  },

  async delete(ctx, { prior }) {
    await onFileHost(ctx, prior.host, `Removing ${prior.path}`, (host) => hostFiles(host).remove(prior.path, ctx.signal));
  },

  async import(_ctx, { id }) {
    // The path has no forward slash (a validated Windows path); the host may (a URL).
    const slash = id.lastIndexOf('/');
    const host = id.slice(0, Math.max(slash, 0));
    const path = id.slice(slash + 1);
    const problem = slash < 0 || host === '' ? 'must be <host>/<path>' : windowsPathProblem(path);
    if (problem)
      throw new DiagnosticError(
        'Invalid import id',
        `import id "${id}" ${problem}; for example "web1/C:\\ProgramData\\app\\settings.json"`,
      );
    return { state: { id, host, path } };
  },
});

/** The SHA-256 of the declared content, undefined while it is unknown; an unreadable source is an error on `source`. */
async function plannedHash(config: Parameters<typeof declaredContent>[0]): Promise<string | undefined> {
  let source: ContentSource | undefined;
  try {
    source = await declaredContent(config);
    return source === undefined ? undefined : await sourceSha256(source);
  } catch (e) {
    throw new DiagnosticError('Cannot read the source file', `${errorMessage(e)}.`, ['source']);
  }
}

/** Writes the declared content; the host's hash of the file in place must be the planned one. */
async function writeDeclared(
  ctx: Ctx,
  config: Pick<FileState, 'host' | 'path' | 'content' | 'content_base64' | 'source' | 'sensitive_content'>,
  planned: string | typeof unknown | null,
): Promise<string> {
  const source = await declaredContent(config).catch((e: unknown) => {
    throw new DiagnosticError('Cannot read the source file', `${errorMessage(e)}.`, ['source']);
  });
  if (source === undefined) throw new DiagnosticError('File content unknown at apply', 'The content attribute has no value.');
  const expected = await sourceSha256(source);
  if (typeof planned === 'string' && !isUnknown(planned) && planned !== expected)
    throw new DiagnosticError(
      'The content changed since the plan',
      `The plan wrote content with SHA-256 ${planned}; it now has ${expected} (a source file changed in between?). Plan again.`,
      [config.source !== null ? 'source' : 'sha256'],
    );
  const written = await onFileHost(ctx, config.host, `Writing ${config.path}`, (host) =>
    hostFiles(host).write(config.path, source, ctx.signal),
  );
  if (written !== expected)
    throw new DiagnosticError(
      `${config.path} on ${config.host} does not hold what was written`,
      `The host computed SHA-256 ${written} after the write; the content has ${expected}.`,
      ['sha256'],
    );
  return written;
}

function onFileHost<T>(ctx: Ctx, hostSpec: string, what: string, step: (host: Host) => Promise<T>): Promise<T> {
  return withHosts(ctx, (pool) => {
    const host = pool.host(hostSpec);
    return onHost(ctx, host, what, () => step(host));
  });
}
