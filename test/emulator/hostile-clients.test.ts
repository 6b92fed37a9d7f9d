import * as net from 'node:net';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';

/** Clients that try to hold the emulator's resources: they must be cut off, not waited for. */

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ requestTimeoutMs: 500, log: () => undefined });
});
afterAll(() => emu.stop());

/** Opens a raw connection, writes `text`, and resolves once the server closes it (rejects after giveUpMs). */
function holdOpen(text: string, giveUpMs: number): Promise<{ closedAfterMs: number }> {
  const port = emu.hosts[0]!.port;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the emulator kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - started });
    });
  });
}

test('a client that never finishes its request body is disconnected', async () => {
  const head = 'POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\nContent-Length: 1000\r\n\r\n<s:Envelope';
  const { closedAfterMs } = await holdOpen(head, 5000);
  expect(closedAfterMs).toBeGreaterThanOrEqual(400);
});

test('a client that never finishes its headers is disconnected', async () => {
  const { closedAfterMs } = await holdOpen('POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 5000);
  expect(closedAfterMs).toBeGreaterThanOrEqual(400);
});
