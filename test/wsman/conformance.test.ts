import { replayRequest } from '../../scripts/conformance/request-replay';
import { checkResponse } from '../../scripts/conformance/response-checks';
import type { FixtureRecord } from '../../scripts/conformance/fixture-reader';
import { ACTION, FAULT_CODE } from '../../src/wsman';
import { COMMAND_ID, SHELL_ID, fault, receiveBody, response } from '../support/wsman-responses';

/** A Receive request written the way pypsrp records it (prefixes wsa/wsman/wsmv, different header order). */
const RECORDED_RECEIVE = `<s:Envelope xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsman="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:wsmv="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"><s:Header><wsa:Action s:mustUnderstand="true">${ACTION.Receive}</wsa:Action><wsmv:DataLocale s:mustUnderstand="false" xml:lang="en-US" /><wsman:Locale s:mustUnderstand="false" xml:lang="en-US" /><wsman:MaxEnvelopeSize s:mustUnderstand="true">153600</wsman:MaxEnvelopeSize><wsa:MessageID>uuid:11111111-2222-3333-4444-555555555555</wsa:MessageID><wsman:OperationTimeout>PT20S</wsman:OperationTimeout><wsa:ReplyTo><wsa:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo><wsman:ResourceURI s:mustUnderstand="true">http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</wsman:ResourceURI><wsmv:SessionId s:mustUnderstand="false">uuid:66666666-2222-3333-4444-555555555555</wsmv:SessionId><wsa:To>http://10.0.0.5:5985/wsman</wsa:To><wsman:OptionSet s:mustUnderstand="true"><wsman:Option Name="WSMAN_CMDSHELL_OPTION_KEEPALIVE">True</wsman:Option></wsman:OptionSet><wsman:SelectorSet><wsman:Selector Name="ShellId">${SHELL_ID}</wsman:Selector></wsman:SelectorSet></s:Header><s:Body><rsp:Receive><rsp:DesiredStream CommandId="${COMMAND_ID}">stdout stderr</rsp:DesiredStream></rsp:Receive></s:Body></s:Envelope>`;

const record = (request: string, body: string, httpStatus = 200): FixtureRecord => ({
  file: 'own.yml',
  index: 0,
  request,
  response: body,
  httpStatus,
  statusInferred: false,
});

describe('conformance checks', () => {
  const answer = response(ACTION.ReceiveResponse, 'uuid:11111111-2222-3333-4444-555555555555', receiveBody([['stdout', 'hi\r\n']], 0));

  it('finds our Receive request structurally equal to the recorded one', async () => {
    await expect(replayRequest(record(RECORDED_RECEIVE, answer))).resolves.toEqual({ status: 'passed' });
  });

  it('reports a structural difference in the body and in the headers', async () => {
    const otherStreams = RECORDED_RECEIVE.replace('>stdout stderr<', '>stdout<');
    await expect(replayRequest(record(otherStreams, answer))).resolves.toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('DesiredStream'),
    });
    const noKeepAlive = RECORDED_RECEIVE.replace(/<wsman:OptionSet[\s\S]*?<\/wsman:OptionSet>/, '');
    await expect(replayRequest(record(noKeepAlive, answer))).resolves.toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('header'),
    });
  });

  it('skips operations the client does not perform (PSRP)', async () => {
    const psrp = RECORDED_RECEIVE.replace('windows/shell/cmd', '').replace(
      'http://schemas.microsoft.com/wbem/wsman/1/</wsman:ResourceURI>',
      'http://schemas.microsoft.com/powershell/Microsoft.PowerShell</wsman:ResourceURI>',
    );
    await expect(replayRequest(record(psrp, answer))).resolves.toMatchObject({ status: 'skipped' });
  });

  it('parses responses by kind and flags faults recorded with the wrong status', () => {
    expect(checkResponse(record('', answer))).toEqual({ ok: true, kind: 'receive Done exit 0' });
    const f = fault('uuid:x', 'w:InvalidSelectors', FAULT_CODE.invalidSelectors, 'bad');
    expect(checkResponse(record('', f, 500))).toEqual({ ok: true, kind: 'fault InvalidSelectors 2150858843' });
    expect(checkResponse(record('', f, 200))).toMatchObject({ ok: false, detail: 'fault recorded with HTTP 200' });
    expect(checkResponse(record('', '<not-soap/>'))).toMatchObject({ ok: false, kind: 'error' });
  });
});
