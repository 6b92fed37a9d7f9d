import { errorMessage } from '../../common';
import { WsmanBadResponseError, WsmanError } from '../faults/errors';
import { findFault, parseFault } from '../faults/fault-parse';
import { ACTION, wmiMethodAction } from '../soap/actions';
import { buildRequest, DEFAULT_MAX_ENVELOPE_SIZE, newMessageId, type OptionInput, type RequestBody } from '../soap/envelope-build';
import { readEnvelope, type Envelope } from '../soap/envelope-read';
import { RESOURCE_URI } from '../soap/resource-uris';
import { WsmanTransport } from './transport/wsman-transport';
import type { TransportStatsSnapshot } from './transport/transport-stats';
import type { XmlElement } from '../xml';
import { enumerateBody, pullBody, readEnumerationPage, releaseBody } from './operations/enumeration-messages';
import { readResourceCreated, type ResourceCreated } from './operations/transfer-messages';
import { readWmiOutput, wmiInputBody, type WmiOutput } from './operations/wmi-messages';
import type { CallOptions, MessageTransport, WsmanClientOptions } from './client-options';
import { parseUint } from '../xml';

export interface InvokeOptions extends CallOptions {
  readonly selectors?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, OptionInput>>;
  readonly body?: RequestBody;
}

export interface EnumerateOptions extends CallOptions {
  /** Items per round trip. Default 32000 (what PowerShell asks for). */
  readonly maxElements?: number;
  /** Refuse to collect more than this many items. Default 100000. */
  readonly maxItems?: number;
  /** SelectorFilter, e.g. { ShellId } to enumerate the commands of one shell. */
  readonly selectorFilter?: Readonly<Record<string, string>>;
}

const MAX_EMPTY_PAGES = 100;

/**
 * A WS-Management client for one host: builds envelopes, posts them over the pooled transport, and turns
 * answers into parsed bodies or typed errors (WsmanFault, WsmanAuthError, WsmanHttpError,
 * WsmanTransportError, WsmanBadResponseError).
 */
export class WsmanClient {
  readonly endpoint: string;
  /** A fresh `uuid:` id, constant for the client's life, as MS-PSRP requires for Disconnect/Reconnect. */
  readonly sessionId = newMessageId();
  private readonly transport: MessageTransport;
  private readonly operationTimeoutMs: number;
  readonly receiveTimeoutMs: number;
  private readonly slackMs: number;
  private envelopeSize: number | undefined;
  private requestLimit: number | undefined;

  constructor(private readonly o: WsmanClientOptions) {
    this.endpoint = o.endpoint;
    this.transport =
      o.transport ??
      new WsmanTransport({
        endpoint: o.endpoint,
        auth: o.auth,
        tls: o.tls,
        connectTimeoutMs: o.connectTimeoutMs,
        maxResponseBytes: o.maxResponseBytes,
        maxConnections: o.maxConnections,
        onStateChange: o.onStateChange,
        trace: o.trace,
      });
    this.operationTimeoutMs = o.operationTimeoutMs ?? 60_000;
    this.receiveTimeoutMs = o.receiveTimeoutMs ?? 20_000;
    this.slackMs = o.responseSlackMs ?? 15_000;
    this.envelopeSize = o.maxEnvelopeSize;
  }

  /** The MaxEnvelopeSize header of every request (undefined: the default of 153600). */
  get maxEnvelopeSize(): number | undefined {
    return this.envelopeSize;
  }

  /**
   * The largest request envelope the host accepts: its MaxEnvelopeSizekb (winrm/config) once whoever read
   * that configuration said so, else Windows' default. Callers that split data across requests (PSRP
   * fragments, MS-PSRP 2.2.4) size to it; an administrator may set it below the default.
   */
  get maxRequestEnvelopeSize(): number {
    return this.requestLimit ?? DEFAULT_MAX_ENVELOPE_SIZE;
  }

  setMaxRequestEnvelopeSize(bytes: number): void {
    this.requestLimit = bytes;
  }

  /**
   * Raises the MaxEnvelopeSize header of later requests, as pypsrp does once a host speaks PowerShell
   * remoting protocol 2.2 (PowerShell 3's WinRM allows 500 KiB; every recording shows Windows accepting it).
   */
  raiseMaxEnvelopeSize(bytes: number): void {
    if (this.o.maxEnvelopeSize === undefined && (this.envelopeSize ?? 0) < bytes) this.envelopeSize = bytes;
  }

  /** Sends one request and returns the response envelope; SOAP faults are thrown as WsmanFault. */
  async invoke(action: string, resourceUri: string, opts: InvokeOptions = {}): Promise<Envelope> {
    const operationTimeoutMs = opts.operationTimeoutMs ?? this.operationTimeoutMs;
    const messageId = newMessageId();
    const xml = buildRequest(
      {
        to: this.endpoint,
        resourceUri,
        action,
        messageId,
        maxEnvelopeSize: this.envelopeSize,
        locale: this.o.locale,
        operationTimeoutMs,
        selectors: opts.selectors,
        options: opts.options,
        sessionId: this.sessionId,
      },
      opts.body,
    );
    const started = Date.now();
    let env: Envelope;
    try {
      env = await this.post(xml, operationTimeoutMs, opts.signal);
    } catch (e) {
      this.o.trace?.('WS-Man request failed', { action: shortName(action), resourceUri, ms: Date.now() - started, error: errorMessage(e) });
      throw e;
    }
    this.o.trace?.('WS-Man request', { action: shortName(action), resourceUri, ms: Date.now() - started });
    if (env.relatesTo !== undefined && env.relatesTo.toLowerCase() !== messageId.toLowerCase()) {
      throw new WsmanBadResponseError(`response relates to ${env.relatesTo}, not to the request ${messageId}`);
    }
    return env;
  }

  /** WS-Transfer Get: the resource element (e.g. cfg:Config, PlugInConfiguration, rsp:Shell). */
  async get(resourceUri: string, selectors?: Readonly<Record<string, string>>, opts: CallOptions = {}): Promise<XmlElement> {
    const env = await this.invoke(ACTION.Get, resourceUri, { ...opts, selectors });
    return firstChild(env.body, 'GetResponse');
  }

  /** WS-Transfer Put: replaces the resource; returns what the host echoes, if anything. */
  async put(
    resourceUri: string,
    selectors: Readonly<Record<string, string>> | undefined,
    body: RequestBody,
    opts: CallOptions = {},
  ): Promise<XmlElement | undefined> {
    const env = await this.invoke(ACTION.Put, resourceUri, { ...opts, selectors, body });
    return env.body.children[0];
  }

  /** WS-Transfer Create: returns the ResourceCreated reference and the raw body. */
  async create(
    resourceUri: string,
    selectors: Readonly<Record<string, string>> | undefined,
    body: RequestBody | undefined,
    opts: CallOptions & { options?: Readonly<Record<string, OptionInput>> } = {},
  ): Promise<{ created?: ResourceCreated; body: XmlElement }> {
    const env = await this.invoke(ACTION.Create, resourceUri, { ...opts, selectors, body });
    return { created: readResourceCreated(env.body), body: env.body };
  }

  /** WS-Transfer Delete. */
  async delete(resourceUri: string, selectors?: Readonly<Record<string, string>>, opts: CallOptions = {}): Promise<void> {
    await this.invoke(ACTION.Delete, resourceUri, { ...opts, selectors });
  }

  /** WS-Enumeration Enumerate + Pull until EndOfSequence: every item, bounded by maxItems. */
  async enumerate(resourceUri: string, opts: EnumerateOptions = {}): Promise<XmlElement[]> {
    const maxElements = opts.maxElements ?? 32_000;
    const maxItems = opts.maxItems ?? 100_000;
    const items: XmlElement[] = [];
    let page = readEnumerationPage(
      (await this.invoke(ACTION.Enumerate, resourceUri, { ...opts, body: enumerateBody(maxElements, opts.selectorFilter) })).body,
    );
    // A host that keeps answering empty pages with a context would otherwise loop forever.
    let emptyPages = 0;
    for (;;) {
      emptyPages = page.items.length === 0 ? emptyPages + 1 : 0;
      if (emptyPages > MAX_EMPTY_PAGES)
        throw new WsmanBadResponseError(`enumeration of ${resourceUri} made no progress over ${MAX_EMPTY_PAGES} pulls`);
      items.push(...page.items);
      if (items.length > maxItems) {
        if (page.context) await this.release(resourceUri, page.context, opts);
        throw new WsmanError(`enumeration of ${resourceUri} returned more than ${maxItems} items`);
      }
      if (page.endOfSequence) return items;
      if (!page.context) throw new WsmanBadResponseError('enumeration response without EnumerationContext or EndOfSequence');
      page = readEnumerationPage(
        (await this.invoke(ACTION.Pull, resourceUri, { ...opts, body: pullBody(page.context, maxElements) })).body,
      );
    }
  }

  /** Invokes a WMI method (e.g. Win32_Process.Create) and returns its output parameters. */
  async invokeWmiMethod(
    classUri: string,
    method: string,
    params: Readonly<Record<string, string>>,
    opts: CallOptions & { selectors?: Readonly<Record<string, string>> } = {},
  ): Promise<WmiOutput> {
    const env = await this.invoke(wmiMethodAction(classUri, method), classUri, { ...opts, body: wmiInputBody(classUri, method, params) });
    return readWmiOutput(env.body, method);
  }

  /**
   * Starts a process through WMI Win32_Process.Create, outside any WinRM shell, so it survives a WinRM
   * restart. Throws when WMI reports a non-zero ReturnValue.
   */
  async startProcess(commandLine: string, opts: CallOptions = {}): Promise<{ processId?: number }> {
    const out = await this.invokeWmiMethod(RESOURCE_URI.win32Process, 'Create', { CommandLine: commandLine }, opts);
    if (out.returnValue !== 0) throw new WsmanError(`Win32_Process.Create failed with ReturnValue ${out.returnValue ?? 'missing'}`);
    return { processId: parseUint(out.values.ProcessId) };
  }

  /** Wire counters of the HTTP transport (undefined for a replaced transport without them). */
  stats(): TransportStatsSnapshot | undefined {
    return this.transport.stats?.();
  }

  /** Closes pooled connections. */
  close(): void {
    this.transport.close();
  }

  private async release(resourceUri: string, context: string, opts: CallOptions): Promise<void> {
    try {
      await this.invoke(ACTION.Release, resourceUri, { ...opts, body: releaseBody(context) });
    } catch {
      // Best effort: the host expires abandoned enumerations on its own.
    }
  }

  private async post(xml: string, operationTimeoutMs: number, signal: AbortSignal | undefined): Promise<Envelope> {
    const res = await this.transport.post(xml, { timeoutMs: operationTimeoutMs + this.slackMs, signal });
    const env = readEnvelope(res.body);
    const fault = findFault(env.body);
    if (fault) throw parseFault(fault, env.action);
    if (res.status !== 200) throw new WsmanBadResponseError(`HTTP ${res.status} without a SOAP fault`);
    return env;
  }
}

/** The last segment of an action URI (`…/transfer/Get` → `Get`): enough to read a log. */
function shortName(action: string): string {
  return action.slice(action.lastIndexOf('/') + 1);
}

function firstChild(body: XmlElement, what: string): XmlElement {
  const first = body.children[0];
  if (!first) throw new WsmanBadResponseError(`${what} has an empty body`);
  return first;
}
