/**
 * Files on a host over a session on its administrative endpoint, against the emulator's real PowerShell and its C: drive:
 * a 5 MB file in chunks, a unicode path, overwrite, missing parent folders, read, remove, refusals, and
 * the files of one host sharing one session.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { bytesSource, HostError, hostFiles, localFileSource, type Host, type HostFiles, type HostPool } from '../../src/host';
import { RESOURCE_URI } from '../../src/wsman';
import { emulatorPool } from '../support/host-pool';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

let emulator: EmulatorHandle;
let pool: HostPool;
let host: Host;
let files: HostFiles;
let local: string;
/** The emulated host's C: drive as a local folder, to look behind the host's back. */
let drive: { localPath(p: string): string | undefined };
const signal = new AbortController().signal;

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex').toUpperCase();

beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1'], allowUnencrypted: true, auth: ['basic'], log: () => undefined });
  pool = emulatorPool();
  host = pool.host(emulator.hosts[0]!.endpoint);
  files = hostFiles(host);
  local = mkdtempSync(path.join(tmpdir(), 'psremoting-files-'));
  drive = emulator.virtualHosts[0]!.drive;
});
afterAll(async () => {
  await emulator?.stop();
  if (local) rmSync(local, { recursive: true, force: true });
});

test('a 5 MB local file is written in chunks, into folders that did not exist, and hashed on the host', async () => {
  const source = path.join(local, 'local.bin');
  const bytes = randomBytes(5 * 1024 * 1024);
  writeFileSync(source, bytes);
  const target = 'C:\\Data\\new\\nested\\big.bin';
  const hash = await files.write(target, await localFileSource(source), signal);
  expect(hash).toBe(sha(bytes));
  expect(await files.stat(target, signal)).toEqual({ sha256: sha(bytes), length: bytes.length });
  expect(readFileSync(drive.localPath(target)!)).toEqual(bytes);
});

test('a unicode path, overwritten with shorter content, read back; no partial file is left beside it', async () => {
  const target = 'C:\\ProgramData\\Ünïcödé 文件\\réglages.json';
  await files.write(target, bytesSource(Buffer.from('{"version": 1, "padding": "xxxxxxxxxxxxxxxx"}')), signal);
  const second = Buffer.from('{"version": 2}');
  expect(await files.write(target, bytesSource(second), signal)).toBe(sha(second));
  expect(await files.read(target, signal)).toEqual(second);
  expect(readdirSync(drive.localPath('C:\\ProgramData\\Ünïcödé 文件')!)).toEqual(['réglages.json']);
  const listing = await files.read('C:\\ProgramData\\Ünïcödé 文件', signal).catch((e: unknown) => e);
  expect(listing).toBeInstanceOf(HostError);
  expect((listing as HostError).kind).toBe('file-refused');
  expect((listing as HostError).message).toMatch(/is a folder/);
});

test('an empty file; a missing file has no hash and no content', async () => {
  const target = 'C:\\Data\\empty.txt';
  expect(await files.write(target, bytesSource(new Uint8Array(0)), signal)).toBe(sha(new Uint8Array(0)));
  expect(await files.stat(target, signal)).toEqual({ sha256: sha(new Uint8Array(0)), length: 0 });
  expect(await files.stat('C:\\Data\\missing.txt', signal)).toBeUndefined();
  expect(await files.read('C:\\Data\\missing.txt', signal)).toBeUndefined();
});

test('remove: the file goes, a second remove finds nothing', async () => {
  const target = 'C:\\Data\\gone.txt';
  await files.write(target, bytesSource(Buffer.from('bye')), signal);
  expect(await files.remove(target, signal)).toBe(true);
  expect(await files.stat(target, signal)).toBeUndefined();
  expect(existsSync(drive.localPath(target)!)).toBe(false);
  expect(await files.remove(target, signal)).toBe(false);
});

test('a read beyond its bound is file-too-large', async () => {
  const target = 'C:\\Data\\large.txt';
  await files.write(target, bytesSource(Buffer.alloc(4096, 'a')), signal);
  await expect(files.read(target, signal, 1024)).rejects.toMatchObject({ kind: 'file-too-large' });
});

test('a write the host refuses (a file where a folder must be) fails with its reason, content not in the message', async () => {
  const blocker = 'C:\\Data\\blocker';
  await files.write(blocker, bytesSource(Buffer.from('plain file')), signal);
  const e = await files.write(`${blocker}\\child.txt`, bytesSource(Buffer.from('SECRET-CONTENT')), signal).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(HostError);
  expect((e as HostError).kind).toBe('file-refused');
  expect((e as HostError).message).toMatch(/child\.txt on .* failed: /);
  expect((e as HostError).message).not.toMatch(/SECRET|U0VDUkVU/);
});

test('files written side by side on one host share one session, closed once they stop', async () => {
  // Shells only (not their commands): a shell closing between the two listings would fail the second.
  const open = async (): Promise<number> =>
    (await host.shells(signal)).filter((sh) => sh.resourceUri?.startsWith(RESOURCE_URI.powershellPrefix)).length;
  // The earlier tests' session closes after its idle delay.
  await waitFor(async () => (await open()) === 0, 'no open session');
  const writes = Array.from({ length: 6 }, (_, i) =>
    files.write(`C:\\Data\\side\\f${i}.txt`, bytesSource(Buffer.from(`file ${i}`)), signal),
  );
  await Promise.all(writes);
  // Right after, the one shared session is still open for the next operation.
  expect(await open()).toBe(1);
  for (let i = 0; i < 6; i += 1) expect((await files.read(`C:\\Data\\side\\f${i}.txt`, signal))?.toString()).toBe(`file ${i}`);
  await waitFor(async () => (await open()) === 0, 'the shared session to close once idle');
});
