/**
 * psremoting_file's plan before any request: the planned sha256 is the hash of the declared content
 * (a source file read at plan time), a change of letter case of the path is the same file, another path
 * or host replaces it, an unreadable source is an error on `source`, and import ids are checked.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileResource } from '../../src/provider/resources/file/file-resource';
import { DiagnosticError, isUnknown, unknown, type State } from '../../src/tfplugin';
import { derivePlan } from '../../src/tfplugin/runtime/plan';
import { emulatorPool, handlerContext } from '../support/host-pool';

const pool = emulatorPool();
const ctx = () => handlerContext(pool);
const sha = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex').toUpperCase();

type Config = Parameters<typeof fileResource.create>[1]['config'];
const config = (over: Partial<Config> = {}): Config => ({
  id: null,
  host: 'win1',
  path: 'C:\\ProgramData\\App\\settings.json',
  content: null,
  content_base64: null,
  source: null,
  sensitive_content: null,
  sha256: null,
  ...over,
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'psr-file-plan-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type FileState = State<typeof fileResource.schema>;

async function plan(prior: FileState | null, c: Config) {
  const derived = derivePlan(fileResource.schema, prior, c, prior ? { ...prior, ...c, sha256: prior.sha256, id: prior.id } : c);
  const hook = await fileResource.plan!(ctx(), { prior: prior, config: c, planned: derived.planned as never, private: {} });
  return { planned: hook?.planned as FileState, requiresReplace: [...derived.requiresReplace, ...(hook?.requiresReplace ?? [])] };
}

test('the planned sha256 is the hash of the content, whichever attribute gives it', async () => {
  expect((await plan(null, config({ content: 'héllo' }))).planned).toMatchObject({
    sha256: sha('héllo'),
    id: 'win1/C:\\ProgramData\\App\\settings.json',
  });
  expect((await plan(null, config({ content_base64: Buffer.from([0, 255]).toString('base64') }))).planned.sha256).toBe(
    sha(Buffer.from([0, 255])),
  );
  expect((await plan(null, config({ sensitive_content: 's3cret' }))).planned.sha256).toBe(sha('s3cret'));
  const source = join(dir, 'module.psm1');
  writeFileSync(source, 'function Get-Ops {}\n');
  expect((await plan(null, config({ source }))).planned.sha256).toBe(sha('function Get-Ops {}\n'));
  expect(isUnknown((await plan(null, config({ content: unknown as never }))).planned.sha256)).toBe(true);
});

test('an unreadable source is an error on source', async () => {
  const e = await plan(null, config({ source: join(dir, 'missing.psm1') })).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(DiagnosticError);
  expect((e as DiagnosticError).path).toEqual(['source']);
  expect((e as DiagnosticError).summary).toBe('Cannot read the source file');
});

test('another letter case of the path is the same file; another path or host replaces it', async () => {
  const prior: FileState = { ...config({ content: 'x' }), id: 'win1/C:\\ProgramData\\App\\settings.json', sha256: sha('x') };
  expect((await plan(prior, config({ content: 'x', path: 'C:\\programdata\\app\\Settings.json' }))).requiresReplace).toEqual([]);
  expect((await plan(prior, config({ content: 'x', path: 'C:\\ProgramData\\App\\other.json' }))).requiresReplace).toEqual([['path']]);
  expect((await plan(prior, config({ content: 'x', host: 'win2' }))).requiresReplace).toEqual([['host']]);
  const same = await plan(prior, config({ content: 'x' }));
  expect(same).toEqual({ planned: prior, requiresReplace: [] });
});

test('import ids: <host>/<path>, the host may be a URL', async () => {
  const url = await fileResource.import!(ctx(), { id: 'https://web1:5986/wsman/C:\\App\\a.txt' });
  expect(url.state).toMatchObject({ host: 'https://web1:5986/wsman', path: 'C:\\App\\a.txt' });
  await expect(fileResource.import!(ctx(), { id: 'C:\\App\\a.txt' })).rejects.toThrow(/must be <host>\/<path>/);
  await expect(fileResource.import!(ctx(), { id: 'web1/App\\a.txt' })).rejects.toThrow(/absolute path on a drive/);
});
