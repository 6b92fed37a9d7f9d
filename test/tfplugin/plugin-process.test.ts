/**
 * The provider as terraform runs it — a real process started from a bundle — driven by an independent
 * gRPC client: the handshake, mutual TLS, signals, StopProvider, Shutdown, parent death, stdout hygiene.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { certificatePem } from '../../src/tfplugin/binary/pem';
import { encodeMsgpack } from '../../src/tfplugin/cty/msgpack-codec';
import { unknown } from '../../src/tfplugin/cty/values';
import { MAGIC_COOKIE_VALUE } from '../../src/tfplugin/plugin/handshake';
import { blockTypeOf } from '../../src/tfplugin/schema/implied-type';
import { runtimetestProvider } from '../e2e/runtimetest/provider';
import { call, connect, makeClientCertificate, type PluginClients } from '../support/grpc-client';

jest.setTimeout(30_000);

const work = mkdtempSync(join(tmpdir(), 'plugin-process-'));
const bundle = join(work, 'provider.js');
const clientCert = makeClientCertificate();
const itemType = blockTypeOf(runtimetestProvider.resources[0]!.schema);
const started: ChildProcess[] = [];

beforeAll(async () => {
  await esbuild.build({
    entryPoints: [join(__dirname, '../e2e/runtimetest/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    logLevel: 'warning',
  });
  await esbuild.stop(); // its service process would keep jest alive
});

afterAll(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  line: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(env: NodeJS.ProcessEnv, script = bundle): Promise<Running> {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no handshake line; stderr: ${err}`)), 10_000);
    const check = (): void => {
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, line: out.slice(0, out.indexOf('\n')), stdout: () => out, stderr: () => err, exited });
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      resolve({ child, line: '', stdout: () => out, stderr: () => err, exited });
    });
  });
}

const terraformEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
  PLUGIN_PROTOCOL_VERSIONS: '5,6',
  PLUGIN_CLIENT_CERT: clientCert.certPem,
  RUNTIMETEST_STORE_DIR: join(work, 'store'),
  TF_LOG_PROVIDER: 'debug',
  ...extra,
});

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

test('refuses to run without the magic cookie: message on stderr, nothing on stdout, exit 1', async () => {
  const r = await start({});
  await expect(r.exited).resolves.toBe(1);
  expect(r.stdout()).toBe('');
  expect(r.stderr()).toMatch(/is a Terraform provider plugin: terraform starts it/);
});

test('refuses a terraform that does not offer protocol 6', async () => {
  const r = await start(terraformEnv({ PLUGIN_PROTOCOL_VERSIONS: '5' }));
  await expect(r.exited).resolves.toBe(1);
  expect(r.stdout()).toBe('');
  expect(r.stderr()).toMatch(/plugin protocol 6/);
});

describe('a provider process under mutual TLS', () => {
  let r: Running;
  let c: PluginClients;
  let fields: string[];

  beforeAll(async () => {
    r = await start(terraformEnv());
    fields = r.line.split('|');
    c = connect({ socket: fields[3]!, serverCertPem: certificatePem(Buffer.from(fields[5]!, 'base64')), clientCert });
  });
  afterAll(() => c?.close());

  test('prints one handshake line: 1|6|unix|<socket in a private dir>|grpc|<unpadded base64 DER>', () => {
    expect(fields.slice(0, 3)).toEqual(['1', '6', 'unix']);
    expect(fields[4]).toBe('grpc');
    expect(fields).toHaveLength(6);
    expect(statSync(dirname(fields[3]!)).mode & 0o777).toBe(0o700);
    expect(fields[5]).toMatch(/^[A-Za-z0-9+/]+$/);
    const cert = new X509Certificate(Buffer.from(fields[5]!, 'base64'));
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.ca).toBe(true);
  });

  test('serves the provider schema with the capabilities terraform 1.11 uses', async () => {
    const res = await call<{ resourceSchemas: Record<string, unknown>; serverCapabilities: Record<string, boolean> }>(
      c.provider,
      'GetProviderSchema',
      {},
    );
    expect(Object.keys(res.resourceSchemas)).toEqual(['runtimetest_item']);
    expect(res.serverCapabilities).toMatchObject({ getProviderSchemaOptional: true, planDestroy: true });
  });

  test('ignores SIGINT (terraform answers Ctrl-C with StopProvider)', async () => {
    r.child.kill('SIGINT');
    await new Promise((res) => setTimeout(res, 200));
    expect(r.child.exitCode).toBeNull();
    await expect(call(c.health, 'Check', { service: 'plugin' })).resolves.toEqual({ status: 1 });
  });

  test('StopProvider aborts an in-flight apply, which returns an error diagnostic promptly', async () => {
    const config = encodeMsgpack({ store_dir: null, token: null }, blockTypeOf(runtimetestProvider.schema));
    await expect(call(c.provider, 'ConfigureProvider', { terraformVersion: '1.11.4', config: { msgpack: config } })).resolves.toEqual({
      diagnostics: [],
    });
    const item = {
      id: unknown,
      name: 'slow',
      port: 8080,
      tags: null,
      labels: null,
      secret: null,
      label: null,
      revision: unknown,
      delay_ms: 20_000,
      rule: [],
    };
    const config2 = { ...item, id: null, revision: null, port: null };
    const apply = call<{ diagnostics: { summary: string; detail: string }[] }>(
      c.provider,
      'ApplyResourceChange',
      {
        typeName: 'runtimetest_item',
        priorState: { msgpack: encodeMsgpack(null, itemType) },
        plannedState: { msgpack: encodeMsgpack(item, itemType) },
        config: { msgpack: encodeMsgpack(config2, itemType) },
      },
      25_000,
    );
    await new Promise((res) => setTimeout(res, 300));
    const t0 = Date.now();
    await expect(call(c.provider, 'StopProvider', {})).resolves.toEqual({ Error: '' });
    const res = await apply;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(res.diagnostics[0]).toMatchObject({ summary: 'Applying runtimetest_item was interrupted' });
  });

  test('stdout carries the handshake line only, even when a handler uses console.log', () => {
    expect(r.stdout()).toBe(`${r.line}\n`);
    expect(r.stderr()).toContain('create called: this must not reach stdout');
  });

  test('logs are hclog JSON lines on stderr', () => {
    const entry = r
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, string>)
      .find((e) => e['@message'] === 'serving');
    expect(entry).toMatchObject({ '@level': 'debug', '@module': 'provider.terraform-provider-runtimetest' });
    expect(entry!['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  test('Shutdown: answers, exits 0 and removes its socket directory', async () => {
    await expect(call(c.controller, 'Shutdown', {})).resolves.toEqual({});
    await expect(withTimeout(r.exited, 3000)).resolves.toBe(0);
    expect(existsSync(dirname(fields[3]!))).toBe(false);
  });
});

test('without PLUGIN_CLIENT_CERT (TF_DISABLE_PLUGIN_TLS) it serves plaintext with an empty certificate field', async () => {
  const r = await start(terraformEnv({ PLUGIN_CLIENT_CERT: '' }));
  const fields = r.line.split('|');
  expect(fields[5]).toBe('');
  const c = connect({ socket: fields[3]! });
  await expect(call(c.health, 'Check', { service: 'plugin' })).resolves.toEqual({ status: 1 });
  c.close();
  r.child.kill('SIGTERM');
  await expect(withTimeout(r.exited, 3000)).resolves.toBe(0);
});

test('exits when terraform goes away without Shutdown', async () => {
  // A stand-in for terraform: starts the provider, reports its pid and socket, and is then killed.
  const parentScript = `
    const { spawn } = require('node:child_process');
    const p = spawn(process.execPath, [${JSON.stringify(bundle)}], { stdio: ['ignore', 'pipe', 'ignore'] });
    p.stdout.once('data', (d) => process.stdout.write(p.pid + ' ' + d));
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', parentScript], {
    env: { PATH: process.env.PATH, ...terraformEnv() },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  started.push(parent);
  const first = await new Promise<string>((res) => parent.stdout.once('data', (d) => res(String(d))));
  const pid = Number(first.split(' ')[0]);
  const socketDir = dirname(first.split('|')[3]!);
  parent.kill('SIGKILL');
  const gone = async (): Promise<boolean> => {
    for (let i = 0; i < 40; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return true;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    return false;
  };
  expect(await gone()).toBe(true);
  expect(existsSync(socketDir)).toBe(false);
});
