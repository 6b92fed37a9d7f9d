/**
 * The layer rules of README.md ("Code layout"), checked on every relative import under src/: imports
 * point down only, src/common imports nothing of the project, and inside src/wsman the client and the
 * server sides share the protocol folders but never import each other.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

/** What each layer may import besides itself. psdata is the PowerShell data file codec host and emulator share. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  common: [],
  tfplugin: ['common'],
  wsman: ['common'],
  psrp: ['common'],
  psdata: ['common'],
  host: ['common', 'wsman', 'psrp', 'psdata'],
  provider: ['common', 'host', 'tfplugin', 'wsman'],
  emulator: ['common', 'wsman', 'psrp', 'psdata'],
};

/** Inside wsman: the role folders and what they must not reach. */
const WSMAN_FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  client: ['server'],
  server: ['client'],
  xml: ['client', 'server'],
  soap: ['client', 'server'],
  faults: ['client', 'server'],
  config: ['client', 'server'],
  auth: ['client', 'server'],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every import of a file resolved to its path under src/, as [layer, rest...] parts. */
function importsOf(file: string): string[][] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']*)'/g)].map((m) => m[1]!);
  return specs.map((spec) => path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep));
}

describe('layer rules', () => {
  const files = sourceFiles(SRC);

  it('finds the source to check', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('imports point down only, and nothing leaves src/', () => {
    const broken: string[] = [];
    for (const file of files) {
      const [layer = ''] = path.relative(SRC, file).split(path.sep);
      for (const [target = '', ...rest] of importsOf(file)) {
        if (target === layer) continue;
        if (!(ALLOWED[layer] ?? []).includes(target)) broken.push(`${path.relative(SRC, file)} -> ${[target, ...rest].join('/')}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps the wsman client and server sides apart', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => path.relative(SRC, f).startsWith(`wsman${path.sep}`))) {
      const [, folder = ''] = path.relative(SRC, file).split(path.sep);
      for (const [layer, target = ''] of importsOf(file)) {
        if (layer === 'wsman' && target !== folder && (WSMAN_FORBIDDEN[folder] ?? []).includes(target))
          broken.push(`${path.relative(SRC, file)} -> wsman/${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
