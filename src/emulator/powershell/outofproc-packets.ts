/**
 * The OutOfProc packet codec of `pwsh -s` (sans-IO): one XML element per line on stdin/stdout, carrying
 * PSRP fragments in base64. Grammar from PowerShell's `fanin/OutOfProcTransportManager.cs`
 * (OutOfProcessUtils): `<Data Stream='Default|PromptResponse' PSGuid='g'>BASE64</Data>`, and the one-attribute
 * `<DataAck|Command|CommandAck|Signal|SignalAck|Close|CloseAck PSGuid='g' />`; `g` is the zero GUID for the
 * runspace pool, else the pipeline id, written lower-case as .NET does. Lines are parsed with the project's
 * bounded, DTD-refusing XML parser; anything else is the emulator's `pwsh-protocol` error.
 */
import { parseXml, attr, type XmlElement } from '../../wsman/xml';
import { errorMessage } from '../../common';
import { EmulatorError } from '../emulator-error';

export const POOL_GUID = '00000000-0000-0000-0000-000000000000';

/** Data streams: `Default` is the WS-Man `stdin`, `PromptResponse` the WS-Man `pr` (host responses). */
export type DataStream = 'Default' | 'PromptResponse';

export const SIGNAL_PACKETS = ['DataAck', 'Command', 'CommandAck', 'Signal', 'SignalAck', 'Close', 'CloseAck'] as const;
export type SignalPacketKind = (typeof SIGNAL_PACKETS)[number];

export type OutOfProcPacket =
  | { readonly kind: 'Data'; readonly stream: DataStream; readonly guid: string; readonly data: Buffer }
  | { readonly kind: SignalPacketKind; readonly guid: string };

/** A line's worth of fragments is bounded by pwsh's 32 KiB fragment size; this leaves room for several. */
const MAX_LINE_CHARS = 4 * 1024 * 1024;

export function encodePacket(packet: OutOfProcPacket): string {
  const guid = packet.guid.toLowerCase();
  if (packet.kind === 'Data') return `<Data Stream='${packet.stream}' PSGuid='${guid}'>${packet.data.toString('base64')}</Data>`;
  return `<${packet.kind} PSGuid='${guid}' />`;
}

export function decodePacket(line: string): OutOfProcPacket {
  let element: XmlElement;
  try {
    element = parseXml(line, { maxChars: MAX_LINE_CHARS, maxDepth: 1, maxElements: 1, maxAttributesPerElement: 2 });
  } catch (e: unknown) {
    throw new EmulatorError('pwsh-protocol', `pwsh sent a line that is not one OutOfProc packet: ${errorMessage(e)}`);
  }
  const guid = attr(element, 'PSGuid');
  if (guid === undefined || element.ns !== '')
    throw new EmulatorError('pwsh-protocol', `pwsh sent a <${element.local}> packet without PSGuid`);
  if (element.local === 'Data') {
    const stream = attr(element, 'Stream');
    return {
      kind: 'Data',
      stream: stream?.toLowerCase() === 'promptresponse' ? 'PromptResponse' : 'Default',
      guid: guid.toLowerCase(),
      data: Buffer.from(element.text, 'base64'),
    };
  }
  const kind = SIGNAL_PACKETS.find((k) => k === element.local);
  if (kind === undefined) throw new EmulatorError('pwsh-protocol', `pwsh sent an unknown OutOfProc packet <${element.local}>`);
  return { kind, guid: guid.toLowerCase() };
}
