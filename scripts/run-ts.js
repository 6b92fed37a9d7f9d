#!/usr/bin/env node
/**
 * Runs a TypeScript script of the repository (demo, benchmarks, conformance, bindings, docs): bundles
 * it with esbuild into .tmp/run/ and runs it with the remaining arguments. `--external` leaves npm
 * packages unbundled, for libraries that load their own files at run time (the cdktf generator).
 *
 *   node scripts/run-ts.js [--external] <entry.ts> [args...]
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/**
 * `__dirname` keeps meaning the directory of the source file that uses it, as under jest, so code that
 * finds the repository relative to itself works whatever folder the bundle is written to.
 */
const sourceDirname = {
  name: 'source-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      if (!source.includes('__dirname')) return undefined;
      return { contents: `const __dirname = ${JSON.stringify(path.dirname(args.path))};\n${source}`, loader: 'ts' };
    });
  },
};

async function main() {
  const args = process.argv.slice(2);
  const external = args[0] === '--external';
  if (external) args.shift();
  const entry = args.shift();
  if (!entry) {
    console.error('usage: node scripts/run-ts.js [--external] <entry.ts> [args...]');
    return 2;
  }
  const outfile = path.join(root, '.tmp', 'run', `${entry.replace(/\.ts$/, '').replace(/[\\/]/g, '-')}.js`);
  await esbuild.build({
    entryPoints: [path.resolve(root, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    outfile,
    plugins: [sourceDirname],
    ...(external ? { packages: 'external' } : {}),
  });
  return spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' }).status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e.message);
    process.exit(1);
  },
);
