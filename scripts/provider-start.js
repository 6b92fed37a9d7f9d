/**
 * The provider's start file, installed beside provider.js by scripts/provider-install.js: runs the
 * bundle through the V8 code cache that the install made (provider.js.cache), so each of terraform's
 * 3-5 launches per command skips parsing and compiling what start-up runs. A cache made by another
 * Node or V8 build is rejected by V8 and the bundle simply compiles as usual.
 *
 * The bundle is ASCII (scripts/bundle.js), so it is read as latin1: the same string without UTF-8
 * decoding.
 *
 * With TFPLUGIN_WRITE_CODE_CACHE set (only the install does that) the cache is written when the
 * process exits, so it holds every function the launch compiled.
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');

const file = join(__dirname, 'provider.js');
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // no cache: compile as usual
}
const script = new Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
if (process.env.TFPLUGIN_WRITE_CODE_CACHE) {
  delete process.env.TFPLUGIN_WRITE_CODE_CACHE;
  process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}
script.runInThisContext()(module.exports, require, module, file, __dirname);
