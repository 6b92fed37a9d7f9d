#!/usr/bin/env node
// Launcher for the compiled emulator CLI (`npm run build` writes dist/).
'use strict';
const path = require('node:path');
const cli = path.join(__dirname, '..', 'dist', 'emulator', 'cli.js');
try {
  require.resolve(cli);
} catch {
  process.stderr.write('psremoting-emulator: dist/emulator/cli.js is missing; run `npm run build` first\n');
  process.exit(1);
}
require(cli);
