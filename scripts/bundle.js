/**
 * Shared by the build scripts: esbuild bundling of a TypeScript entry into one minified CommonJS file
 * (each of terraform's 3-5 provider launches per command then parses one file and resolves no
 * modules; lazily required parts stay in the file but run only when first needed), and atomic writes.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/** Bundles `entry` (relative to the repository) and returns the JavaScript text. */
function bundle(entry) {
  return build({ entryPoints: [path.resolve(root, entry)] });
}

/**
 * Bundles the launcher of a provider installed as `binary` (src/tfplugin/plugin/launcher.ts): it
 * exports `launch(loadProvider)`, which scripts/provider-start.js calls.
 */
function bundleLauncher(binary) {
  const contents = `const { launch } = require('./src/tfplugin/plugin/launcher');
exports.launch = (loadProvider) => launch(${JSON.stringify(binary)}, loadProvider);`;
  return build({ stdin: { contents, resolveDir: root, sourcefile: 'launcher-entry.js', loader: 'js' } });
}

async function build(input) {
  const result = await esbuild.build({
    ...input,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    // ASCII only (non-ASCII escaped): scripts/provider-start.js reads the bundle as latin1, a plain byte
    // copy, where UTF-8 decoding of the whole file costs milliseconds on every launch.
    charset: 'ascii',
    logLevel: 'warning',
    write: false,
  });
  return result.outputFiles[0].text;
}

/**
 * Writes through a temporary file and a rename, and only when the content changed: readers (a running
 * terraform, a parallel test) never see a partial file, and terraform's lock-file hash stays put.
 */
function writeIfChanged(file, content, mode = 0o644) {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return false;
  } catch {
    // absent: write it
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
  return true;
}

module.exports = { bundle, bundleLauncher, writeIfChanged, root };
