import type { WsmanClient } from '../src/wsman';

/** Requests per second and bytes on the wire per operation of `op` on one client, after a warm-up. */
export interface Measurement {
  readonly rps: number;
  readonly bytesPerOp: number;
  readonly ops: number;
}

export async function measure(
  client: WsmanClient,
  op: () => Promise<unknown>,
  durationMs: number,
  concurrency: number,
): Promise<Measurement> {
  for (let i = 0; i < 10; i++) await op(); // warm-up: connections, handshakes and tickets, JIT
  const before = client.stats()!;
  const started = performance.now();
  let ops = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - started < durationMs) {
        await op();
        ops += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = client.stats()!;
  const bytes = after.bytesSent - before.bytesSent + (after.bytesReceived - before.bytesReceived);
  return { rps: ops / seconds, bytesPerOp: bytes / ops, ops };
}
