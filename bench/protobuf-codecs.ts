/**
 * npm run bench:codecs — the generated message codecs (src/tfplugin/generated, grpc-js's serializers
 * in the plugin) against protobufjs reading the same .proto files, as @grpc/proto-loader hands it to
 * grpc-js (serialize = fromObject + encode, deserialize = decode + toObject), on the messages a plan moves: the provider's GetProviderSchema response and a
 * PlanResourceChange request/response of one session configuration. Prints ratios from one run.
 */
import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import { psremotingProvider } from '../src/provider/provider';
import { encodeMsgpack } from '../src/tfplugin/cty/msgpack-codec';
import * as tf from '../src/tfplugin/generated/tfplugin6';
import { createLogger } from '../src/tfplugin/log/logger';
import { decodeMessage, encodeMessage, type MessageCodec } from '../src/tfplugin/protobuf/wire';
import { providerMethods } from '../src/tfplugin/runtime/provider-server';
import { blockTypeOf } from '../src/tfplugin/schema/implied-type';
import { emptyObject } from '../src/tfplugin/schema/empty-object';
import type { Schema } from '../src/tfplugin/schema/schema';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function opsPerSecond(work: () => void, ms = 300): number {
  for (let i = 0; i < 200; i++) work(); // warm up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 50; i++) work();
    n += 50;
  }
  return (n * 1000) / (performance.now() - t0);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const root = new protobuf.Root();
  root.loadSync(
    ['tfplugin6.proto', 'go-plugin.proto', 'health.proto'].map((f) => join(__dirname, '../src/tfplugin/proto', f)),
    { keepCase: false },
  );
  const loadMs = performance.now() - t0;

  const methods = providerMethods(psremotingProvider, createLogger({ module: 'bench', threshold: 'off' }));
  const schema = (await (
    methods.get(tf.ProviderService.GetProviderSchema.path) as { handle(r: unknown, c: unknown): Promise<unknown> }
  ).handle({}, { signal: new AbortController().signal })) as object;
  const resource = psremotingProvider.resources.find((r) => r.typeName === 'psremoting_session_configuration')!;
  const resourceSchema = resource.schema as Schema;
  const value = {
    ...emptyObject(resourceSchema),
    host: '127.0.0.1:5985',
    name: 'bench.0',
    max_sessions: 10,
    output_buffering_mode: 'Drop',
  };
  const dv = { msgpack: encodeMsgpack(value, blockTypeOf(resourceSchema)) };
  const planRequest = { typeName: resource.typeName, priorState: dv, proposedNewState: dv, config: dv, priorPrivate: Buffer.from('{}') };
  const planResponse = {
    plannedState: dv,
    requiresReplace: [{ steps: [{ attributeName: 'host' }] }, { steps: [{ attributeName: 'name' }] }],
    plannedPrivate: Buffer.from('{}'),
  };

  const cases: [string, MessageCodec<unknown>, string, object][] = [
    ['GetProviderSchema.Response', tf.GetProviderSchema_Response, 'tfplugin6.GetProviderSchema.Response', schema],
    ['PlanResourceChange.Request', tf.PlanResourceChange_Request, 'tfplugin6.PlanResourceChange.Request', planRequest],
    ['PlanResourceChange.Response', tf.PlanResourceChange_Response, 'tfplugin6.PlanResourceChange.Response', planResponse],
  ];
  console.log(
    `protobuf codecs: generated vs protobufjs (reflection); best of ${ROUNDS} rounds; protobufjs loading the .proto files took ${loadMs.toFixed(0)} ms`,
  );
  console.log(['message', 'bytes', 'encode gen/pbjs', 'decode gen/pbjs'].join('\t'));
  for (const [name, codec, pbName, msg] of cases) {
    const type = root.lookupType(pbName);
    const bytes = encodeMessage(codec, msg as never);
    const options = { longs: Number, enums: Number, bytes: Buffer, defaults: true, oneofs: true };
    const best = (f: () => void): number => Math.max(...Array.from({ length: ROUNDS }, () => opsPerSecond(f)));
    const enc = best(() => encodeMessage(codec, msg as never)) / best(() => type.encode(type.fromObject(msg)).finish());
    const dec = best(() => decodeMessage(codec, bytes)) / best(() => type.toObject(type.decode(bytes), options));
    console.log([name, bytes.length, `${enc.toFixed(2)}x`, `${dec.toFixed(2)}x`].join('\t'));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
