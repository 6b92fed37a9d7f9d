/**
 * The provider's start file (start.cjs), installed beside its two bundles by scripts/provider-install.js:
 * launcher.js (the handshake path alone: src/tfplugin/plugin/launcher.ts) runs first and, once the
 * handshake line is out, has provider.js (the provider) loaded while terraform reads the line. Each
 * bundle runs through the V8 code cache the install made (<bundle>.cache), so a launch skips parsing
 * and compiling what it runs; a cache made by another Node or V8 build is rejected by V8 and the
 * bundle simply compiles as usual.
 *
 * The bundles are ASCII (scripts/bundle.js), so they are read as latin1: the same string without
 * UTF-8 decoding.
 *
 * With TFPLUGIN_WRITE_CODE_CACHE set (only the install does that) the caches are written when the
 * process exits, so they hold every function the launch compiled.
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');

const writeCache = !!process.env.TFPLUGIN_WRITE_CODE_CACHE;
delete process.env.TFPLUGIN_WRITE_CODE_CACHE;

/** Runs a bundle of this directory as a CommonJS module; returns its exports. */
function run(name) {
  const file = join(__dirname, name);
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache: compile as usual
  }
  const script = new Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
  if (writeCache) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, require, mod, file, __dirname);
  return mod.exports;
}

run('launcher.js').launch(() => run('provider.js'));
