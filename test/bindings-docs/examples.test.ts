/**
 * The examples the docs pages show (examples/{provider,resources,data-sources,functions}) are valid
 * terraform for this provider's schema: all of them in one working directory, `terraform validate`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createWorkdir, installProviders, repoRoot, succeeded, type Workdir } from '../support/terraform';

const examples = join(repoRoot, 'examples');
const DOC_EXAMPLE_DIRS = ['provider', 'resources', 'data-sources', 'functions'];

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.tf'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe('docs examples', () => {
  let wd: Workdir | undefined;
  afterAll(() => wd?.remove());

  it('validate against the provider schema', async () => {
    installProviders();
    const files = DOC_EXAMPLE_DIRS.flatMap((d) => tfFiles(join(examples, d)));
    expect(files.length).toBeGreaterThanOrEqual(7);
    // One directory: distinct file names, so a broken example names itself in terraform's error.
    wd = createWorkdir(
      'docs-examples',
      Object.fromEntries(files.map((f) => [relative(examples, f).replace(/\//g, '--'), readFileSync(f, 'utf8')])),
    );
    succeeded(await wd.terraform(['init', '-backend=false'], { timeoutMs: 60_000 }));
    succeeded(await wd.terraform(['validate'], { timeoutMs: 60_000 }));
  }, 120_000);
});
