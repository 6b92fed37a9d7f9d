#!/usr/bin/env node
/**
 * Installs a provider into the repository's filesystem mirror and writes the CLI config that points
 * terraform at it — nothing outside the repository:
 *   .terraform-mirror/registry.psremoting.invalid/psremoting/<type>/<version>/<os>_<arch>/
 *     terraform-provider-<type>_v<version>   (#!/bin/sh wrapper: exec node on the bundle beside it)
 *     provider.js                            (the esbuild bundle)
 *   .terraformrc                             (filesystem_mirror for registry.psremoting.invalid/psremoting/*)
 * Then: export TF_CLI_CONFIG_FILE=$PWD/.terraformrc; terraform init.
 *
 * Usage: node scripts/provider-install.js                       the psremoting provider, package.json version
 *        node scripts/provider-install.js --type T --version V --entry path/to/main.ts   another provider (tests)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { bundle, writeIfChanged, root } = require('./bundle');

const NAMESPACE = 'psremoting';
// The registry host of the source address (src/provider/identity.ts REGISTRY_HOST): ours, never the public registry's.
const HOSTNAME = 'registry.psremoting.invalid';
const mirrorDir = path.join(root, '.terraform-mirror');
const cliConfigFile = path.join(root, '.terraformrc');

const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
/** An HCL quoted string: JSON escapes plus HCL's template sequences ${ and %{. */
const hclString = (s) => JSON.stringify(s).replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');

function platformDir() {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** The wrapper terraform executes: `exec` keeps the PID terraform watches (and signals) node's own. */
function wrapperScript(type, version) {
  return `#!/bin/sh
# terraform-provider-${type} v${version}, installed by scripts/provider-install.js
# Node loads NODE_EXTRA_CA_CERTS eagerly at start (tens of ms for a large bundle) although the plugin
# handshake needs no CA: pass it aside; the provider restores process.env.NODE_EXTRA_CA_CERTS itself.
if [ -n "\${NODE_EXTRA_CA_CERTS:-}" ]; then
  TFPLUGIN_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
  export TFPLUGIN_NODE_EXTRA_CA_CERTS
  unset NODE_EXTRA_CA_CERTS
fi
node=${shellQuote(process.execPath)}
[ -x "$node" ] || node=node
exec "$node" "$(dirname "$0")/provider.js" "$@"
`;
}

function cliConfig() {
  const include = hclString(`${HOSTNAME}/${NAMESPACE}/*`);
  return `# Written by scripts/provider-install.js: terraform finds the psremoting providers in the repository's mirror.
# Use it with: export TF_CLI_CONFIG_FILE=${cliConfigFile}
provider_installation {
  filesystem_mirror {
    path    = ${hclString(mirrorDir)}
    include = [${include}]
  }
  direct {
    exclude = [${include}]
  }
}
`;
}

/** Installs the bundle and wrapper; returns the wrapper's path. */
async function installProvider({ type, version, entry }) {
  const dir = path.join(mirrorDir, HOSTNAME, NAMESPACE, type, version, platformDir());
  const executable = `terraform-provider-${type}_v${version}`;
  writeIfChanged(path.join(dir, 'provider.js'), await bundle(entry));
  writeIfChanged(path.join(dir, executable), wrapperScript(type, version), 0o755);
  fs.chmodSync(path.join(dir, executable), 0o755);
  // The package directory holds exactly these two files: terraform hashes all of it into the lock file.
  for (const f of fs.readdirSync(dir)) if (f !== 'provider.js' && f !== executable) fs.rmSync(path.join(dir, f), { force: true });
  writeIfChanged(cliConfigFile, cliConfig());
  return path.join(dir, executable);
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = { '--type': 'type', '--version': 'version', '--entry': 'entry' }[argv[i]];
    if (!key || argv[i + 1] === undefined) throw new Error(`usage: provider-install.js [--type T --version V --entry main.ts]`);
    opts[key] = argv[i + 1];
  }
  return opts;
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const opts = { type: NAMESPACE, version: pkg.version, entry: 'src/provider/main.ts', ...parseArgs(process.argv.slice(2)) };
installProvider(opts)
  .then((executable) => process.stderr.write(`installed ${path.relative(root, executable)}\n`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
