#!/usr/bin/env node
/**
 * PowerShell 7 for the emulator (its PowerShell endpoints run `pwsh -s`, its WinRS powershell commands run
 * `pwsh`). Run by `npm install` (package.json `prepare`, after the build, since it reads the compiled
 * locator in dist/emulator/powershell/pwsh-locator.js, the one place that says where pwsh is looked for):
 *
 *   node scripts/pwsh-install.js          when no pwsh is found and dotnet is on PATH, installs PowerShell
 *                                         7.6.9 into .tools/pwsh with `dotnet tool install`; otherwise prints
 *                                         how to get PowerShell 7. Never fails the install.
 *   node scripts/pwsh-install.js --check  prints the pwsh the emulator finds and its version; exits 1 unless
 *                                         it is PowerShell 7.6.9 (CI).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const locatorFile = path.join(__dirname, '..', 'dist', 'emulator', 'powershell', 'pwsh-locator.js');
const { locatePwsh, PWSH_VERSION, PWSH_TOOL_FOLDER, PWSH_MISSING_MESSAGE, PWSH_ENVIRONMENT } = require(locatorFile);

function versionOf(pwsh) {
  const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
    encoding: 'utf8',
    timeout: 120000,
    env: { ...process.env, ...PWSH_ENVIRONMENT },
  });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

function check() {
  const found = locatePwsh();
  if (!found) {
    process.stderr.write(`${PWSH_MISSING_MESSAGE}\n`);
    return 1;
  }
  const version = versionOf(found.path);
  process.stdout.write(`pwsh (${found.source}): ${found.path} reports ${version ?? 'no version'}\n`);
  if (version === PWSH_VERSION) return 0;
  process.stderr.write(`the emulator needs PowerShell ${PWSH_VERSION}; ${PWSH_MISSING_MESSAGE}\n`);
  return 1;
}

function install() {
  const found = locatePwsh();
  if (found) {
    process.stdout.write(`pwsh (${found.source}): ${found.path}\n`);
    return 0;
  }
  const dotnet = spawnSync('dotnet', ['--version'], { encoding: 'utf8', timeout: 120000 });
  if (dotnet.error || dotnet.status !== 0) {
    process.stdout.write(`note: ${PWSH_MISSING_MESSAGE}\n`);
    return 0;
  }
  process.stdout.write(
    `installing PowerShell ${PWSH_VERSION} into ${path.relative(process.cwd(), PWSH_TOOL_FOLDER) || '.'} with dotnet tool install\n`,
  );
  const run = spawnSync('dotnet', ['tool', 'install', 'PowerShell', '--version', PWSH_VERSION, '--tool-path', PWSH_TOOL_FOLDER], {
    stdio: 'inherit',
    timeout: 600000,
  });
  if (run.status !== 0 || !locatePwsh()) process.stdout.write(`note: dotnet tool install did not succeed. ${PWSH_MISSING_MESSAGE}\n`);
  return 0;
}

process.exitCode = process.argv.includes('--check') ? check() : install();
