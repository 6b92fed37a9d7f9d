#!/usr/bin/env node
/**
 * Installs a provider into the repository's filesystem mirror and writes the CLI config that points
 * terraform at it — nothing outside the repository:
 *   .terraform-mirror/registry.psremoting.invalid/psremoting/<type>/<version>/<os>_<arch>/
 *     terraform-provider-<type>_v<version>   (#!/bin/sh wrapper: exec node on start.cjs beside it)
 *     start.cjs                              (runs both bundles through their V8 code caches: scripts/provider-start.js)
 *     launcher.js                            (the handshake path alone: src/tfplugin/plugin/launcher.ts)
 *     provider.js                            (the esbuild bundle of the provider)
 *     launcher.js.cache, provider.js.cache   (V8 code caches of a warmed-up launch, made here)
 *   .terraformrc                             (filesystem_mirror for registry.psremoting.invalid/psremoting/*)
 * Then: export TF_CLI_CONFIG_FILE=$PWD/.terraformrc; terraform init.
 *
 * Usage: node scripts/provider-install.js                       the psremoting provider, package.json version
 *        node scripts/provider-install.js --type T --version V --entry path/to/main.ts   another provider (tests)
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http2 = require('node:http2');
const net = require('node:net');
const path = require('node:path');
const { bundle, bundleLauncher, writeIfChanged, root } = require('./bundle');

const NAMESPACE = 'psremoting';
// The registry host of the source address (src/provider/identity.ts REGISTRY_HOST): ours, never the public registry's.
const HOSTNAME = 'registry.psremoting.invalid';
const mirrorDir = path.join(root, '.terraform-mirror');
const cliConfigFile = path.join(root, '.terraformrc');

/**
 * V8 heap flags of every launch: new space at most 4 MB a semi-space (Node 20's default is 16) and the
 * old generation grown by 20% past its live size at each full collection (V8's default factor is
 * dynamic, up to 4x). Measured on 1000 hosts' reads in one process (a HostPool over NTLM): peak RSS
 * 149 MB without them, 95 MB with them, CPU unchanged. The code cache is made and checked under the
 * same flags: V8 rejects a cache made under other ones.
 */
const NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=20'];

const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
/** An HCL quoted string: JSON escapes plus HCL's template sequences ${ and %{. */
const hclString = (s) =>
  JSON.stringify(s)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');

function platformDir() {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/**
 * The wrapper terraform executes: `exec` keeps the PID terraform watches (and signals) node's own.
 * The start file is `.cjs`: Node then reads no package.json for a `.js` file's module type (it would
 * walk up from the mirror to the repository's package.json and parse it on every launch).
 */
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
exec "$node" ${NODE_FLAGS.join(' ')} "$(dirname "$0")/start.cjs" "$@"
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

const BUNDLES = ['launcher.js', 'provider.js'];

/** Installs the bundles, their start file, code caches and wrapper; returns the wrapper's path. */
async function installProvider({ type, version, entry }) {
  const dir = path.join(mirrorDir, HOSTNAME, NAMESPACE, type, version, platformDir());
  const executable = `terraform-provider-${type}_v${version}`;
  const files = [executable, 'start.cjs', ...BUNDLES, ...BUNDLES.map((b) => `${b}.cache`)];
  writeIfChanged(path.join(dir, 'launcher.js'), await bundleLauncher(`terraform-provider-${type}`));
  writeIfChanged(path.join(dir, 'provider.js'), await bundle(entry));
  writeIfChanged(path.join(dir, 'start.cjs'), fs.readFileSync(path.join(__dirname, 'provider-start.js'), 'utf8'));
  writeIfChanged(path.join(dir, executable), wrapperScript(type, version), 0o755);
  fs.chmodSync(path.join(dir, executable), 0o755);
  // Only a missing or rejected cache is rebuilt: the bytes differ from run to run, and terraform hashes
  // the package directory into its lock file (parallel test processes install the same bundle).
  if (!codeCachesAccepted(dir)) await writeCodeCache(dir);
  // The package directory holds exactly these files: terraform hashes all of it into the lock file.
  for (const f of fs.readdirSync(dir)) if (!files.includes(f)) fs.rmSync(path.join(dir, f), { force: true });
  writeIfChanged(cliConfigFile, cliConfig());
  return path.join(dir, executable);
}

/** Whether this Node's V8, under the launch's flags, takes each bundle's cache as it is (same source, V8 version and flags). */
function codeCachesAccepted(dir) {
  const bundleFiles = BUNDLES.map((b) => path.join(dir, b));
  if (!bundleFiles.every((f) => fs.existsSync(`${f}.cache`))) return false;
  const check = `const fs = require('node:fs'), Module = require('node:module'), { Script } = require('node:vm');
const rejected = process.argv.slice(1).some((file) =>
  new Script(Module.wrap(fs.readFileSync(file, 'latin1')), { filename: file, cachedData: fs.readFileSync(file + '.cache') }).cachedDataRejected);
process.exit(rejected ? 1 : 0);`;
  return spawnSync(process.execPath, [...NODE_FLAGS, '-e', check, ...bundleFiles], { stdio: 'ignore' }).status === 0;
}

const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2'; // go-plugin's, as terraform sets it

/**
 * Warms up a launch as terraform would start it (handshake, then GetProviderSchema, which loads the
 * runtime and the provider) and has start.cjs write the code caches of everything it compiled. Plaintext
 * (no PLUGIN_CLIENT_CERT): the TLS path is a few small functions, the rest is the same.
 */
async function writeCodeCache(dir) {
  const env = { ...process.env, TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS: '6', TFPLUGIN_WRITE_CODE_CACHE: '1' };
  for (const k of ['PLUGIN_CLIENT_CERT', 'TF_LOG', 'TF_LOG_PROVIDER', 'NODE_OPTIONS']) delete env[k];
  const child = spawn(process.execPath, [...NODE_FLAGS, path.join(dir, 'start.cjs')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    const line = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      exited.then(() => reject(new Error(`the provider exited before its handshake: ${out}`)));
    });
    const socket = line.split('|')[3];
    const session = http2.connect('http://localhost', { createConnection: () => net.connect(socket) });
    try {
      await new Promise((resolve, reject) => {
        const req = session.request({
          ':method': 'POST',
          ':path': '/tfplugin6.Provider/GetProviderSchema',
          'content-type': 'application/grpc',
          te: 'trailers',
        });
        req.on('trailers', (h) =>
          h['grpc-status'] === '0' ? resolve() : reject(new Error(`GetProviderSchema: grpc-status ${h['grpc-status']}`)),
        );
        req.on('error', reject);
        req.on('data', () => undefined);
        req.end(Buffer.alloc(5)); // one empty request message
      });
    } finally {
      session.close();
    }
    child.kill('SIGTERM'); // the provider exits; start.cjs writes the cache on the way out
    await exited;
  } finally {
    clearTimeout(timer);
  }
  if (!codeCachesAccepted(dir)) throw new Error('the code caches just written are not accepted');
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
