import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { certificatePem } from '../src/tfplugin/binary/pem';
import { GetProviderSchema_Response } from '../src/tfplugin/generated/tfplugin6';
import { createServerCertificate } from '../src/tfplugin/plugin/auto-mtls';
import { MAGIC_COOKIE_VALUE } from '../src/tfplugin/plugin/handshake';
import { decodeMessage } from '../src/tfplugin/protobuf/wire';
import { errorMessage } from '../src/common';

/**
 * `npm run bench:startup`: median time from spawning the installed provider to its handshake line (what
 * terraform waits for on each of its 3-5 launches per command), beside a bare `node -e 0` launch,
 * interleaved in one run. The bare launch gets what the provider gets: terraform's environment and the
 * wrapper's V8 flags. When NODE_EXTRA_CA_CERTS is set, Node reads that file at start (tens of ms) and
 * the wrapper keeps it from the provider's Node (scripts/provider-install.js): so a second bare launch
 * without it shows what the provider costs on top of Node itself, also the ratio where the variable
 * is not set. Also: the bundle run by plain node (no wrapper, no launcher) and the time to the first
 * GetProviderSchema answer over mutual TLS.
 * BENCH_RUNS sets the runs per variant (default 20). BENCH_COMPARE_PACKAGE_DIR names the package
 * directory of another installed build (e.g. an earlier commit's .terraform-mirror/…/linux_amd64):
 * its launches are interleaved with the rest, for a before/after table measured in one run.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BARE = `node -e 0 (same env and flags; spawn to exit)`;
const BARE_WITHOUT_CA = 'node -e 0 without NODE_EXTRA_CA_CERTS';
const BUDGET_MS = 150;
const root = join(__dirname, '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const packageDir = join(
  root,
  '.terraform-mirror/registry.psremoting.invalid/psremoting/psremoting',
  version,
  `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`,
);
const executableIn = (dir: string): string => join(dir, `terraform-provider-psremoting_v${version}`);
const executable = executableIn(packageDir);
/** The V8 flags the installed wrapper passes to node (its `exec` line). */
const nodeFlags = ((): string[] => {
  const exec = /^exec "\$node" (.*) "\$\(dirname/m.exec(readFileSync(executable, 'utf8'));
  if (!exec) throw new Error(`no exec line in ${executable}`);
  return exec[1]!.split(' ').filter((f) => f.startsWith('--'));
})();
const compareDir = process.env.BENCH_COMPARE_PACKAGE_DIR;
const clientCert = createServerCertificate(); // a stand-in for terraform's own client certificate
const pluginEnv: NodeJS.ProcessEnv = {
  ...process.env,
  TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
  PLUGIN_PROTOCOL_VERSIONS: '5,6',
  PLUGIN_CLIENT_CERT: clientCert.certPem,
};

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Spawns a command; resolves with ms until its first stdout line (or its exit), and the line. */
function launch(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; line: string; kill: () => void }> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve({ ms: now() - t0, line: out.split('\n')[0]!, kill: () => child.kill('SIGKILL') });
    };
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) finish();
    });
    child.on('exit', finish);
    child.on('error', reject);
  });
}

/** Spawn → handshake → mutual-TLS connection → first GetProviderSchema answer. */
async function firstAnswer(binary: string): Promise<number> {
  const t0 = now();
  const started = await launch(binary, [], pluginEnv);
  const [, , , socket, , certField] = started.line.split('|');
  const serverPem = certificatePem(Buffer.from(certField!, 'base64'));
  const session = http2.connect('https://localhost', {
    createConnection: () =>
      tls.connect({
        path: socket!,
        ca: serverPem,
        cert: clientCert.certPem,
        key: clientCert.keyPem,
        servername: 'localhost',
        ALPNProtocols: ['h2'],
      }),
  });
  try {
    const body = await new Promise<Buffer>((resolve, reject) => {
      const req = session.request({
        ':method': 'POST',
        ':path': '/tfplugin6.Provider/GetProviderSchema',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
      req.end(Buffer.alloc(5)); // one empty message
    });
    const schema = decodeMessage(GetProviderSchema_Response, body.subarray(5));
    if (!schema.functions.encode_command) throw new Error('unexpected schema answer');
    return now() - t0;
  } finally {
    session.destroy();
    started.kill();
  }
}

const stats = (xs: number[]): { median: number; min: number; p90: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, p90: s[Math.floor(s.length * 0.9)]! };
};

async function main(): Promise<void> {
  const withoutExtraCa = { ...pluginEnv };
  delete withoutExtraCa.NODE_EXTRA_CA_CERTS;
  const bareNode = (env: NodeJS.ProcessEnv) => async () => (await launch(process.execPath, [...nodeFlags, '-e', '0'], env)).ms;
  const toHandshake = (binary: string) => async () => {
    const r = await launch(binary, [], pluginEnv);
    r.kill();
    if (!r.line.startsWith('1|6|unix|')) throw new Error(`no handshake line: ${r.line}`);
    return r.ms;
  };
  const variants: Record<string, () => Promise<number>> = {
    [BARE]: bareNode(pluginEnv),
    'provider binary (spawn to handshake line)': toHandshake(executable),
    ...(compareDir
      ? {
          'compared build (spawn to handshake line)': toHandshake(executableIn(compareDir)),
          'compared build to first GetProviderSchema': () => firstAnswer(executableIn(compareDir)),
        }
      : {}),
    'provider bundle by plain node (no wrapper)': async () => {
      const r = await launch(process.execPath, [join(packageDir, 'provider.js')], pluginEnv);
      r.kill();
      return r.ms;
    },
    'provider binary to first GetProviderSchema': () => firstAnswer(executable),
    ...(pluginEnv.NODE_EXTRA_CA_CERTS ? { [BARE_WITHOUT_CA]: bareNode(withoutExtraCa) } : {}),
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const run of Object.values(variants)) await run(); // warm the page cache
  for (let i = 0; i < RUNS; i++) for (const [name, run] of Object.entries(variants)) samples[name]!.push(await run());

  console.log(
    `startup bench: ${RUNS} runs per variant, interleaved; node ${process.version} ${nodeFlags.join(' ')}; NODE_EXTRA_CA_CERTS ${pluginEnv.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}`,
  );
  console.log(['variant', 'median ms', 'min ms', 'p90 ms'].join('\t'));
  for (const [name, xs] of Object.entries(samples)) {
    const s = stats(xs);
    console.log([name, s.median.toFixed(1), s.min.toFixed(1), s.p90.toFixed(1)].join('\t'));
  }
  const provider = stats(samples['provider binary (spawn to handshake line)']!).median;
  const bare = stats(samples[BARE]!).median;
  console.log(
    `provider / bare node = ${(provider / bare).toFixed(2)}x; budget ${BUDGET_MS} ms: ${provider <= BUDGET_MS ? 'within' : 'OVER'} (${provider.toFixed(1)} ms)`,
  );
  if (samples[BARE_WITHOUT_CA]) {
    const ratio = (name: string) => (stats(samples[name]!).median / stats(samples[BARE_WITHOUT_CA]!).median).toFixed(2);
    console.log(
      `against bare node without NODE_EXTRA_CA_CERTS (as the provider's node runs): provider ${ratio('provider binary (spawn to handshake line)')}x${compareDir ? `, compared build ${ratio('compared build (spawn to handshake line)')}x` : ''}`,
    );
  }
  if (compareDir) {
    const compared = stats(samples['compared build (spawn to handshake line)']!).median;
    const ratio = (name: string) => stats(samples[name]!).median / bare;
    console.log(
      `compared build / bare node = ${(compared / bare).toFixed(2)}x; first GetProviderSchema / bare node: this build ${ratio('provider binary to first GetProviderSchema').toFixed(2)}x, compared ${ratio('compared build to first GetProviderSchema').toFixed(2)}x`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(`bench:startup: ${errorMessage(e)}`);
  process.exit(1);
});
