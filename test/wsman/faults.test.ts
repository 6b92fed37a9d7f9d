import { FAULT_CODE, WsmanError, WsmanFault, faultCodeName, findFault, parseFault } from '../../src/wsman/faults';
import { NtlmError } from '../../src/wsman/auth/ntlm';
import { SddlError, parseSddl } from '../../src/wsman/config';
import { XmlError, parseXml } from '../../src/wsman/xml';
import { ACTION, readEnvelope } from '../../src/wsman/soap';
import { response } from '../support/wsman-responses';

function faultOf(body: string): WsmanFault {
  const env = readEnvelope(response(ACTION.WsmanFault, undefined, body));
  const f = findFault(env.body);
  if (!f) throw new Error('no fault');
  return parseFault(f, env.action);
}

describe('WSManFault parsing', () => {
  it('reads a nested provider fault (unknown shell)', () => {
    const f = faultOf(
      '<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>w:InvalidSelectors</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">bad selectors </s:Text></s:Reason><s:Detail><w:FaultDetail>http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/UnexpectedSelectors</w:FaultDetail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858843" Machine="10.0.0.1"><f:Message><f:ProviderFault provider="Shell provider" path="%systemroot%\\system32\\WsmSvc.dll"><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858843" Machine="10.0.0.1"><f:Message>inner text </f:Message></f:WSManFault></f:ProviderFault></f:Message></f:WSManFault></s:Detail></s:Fault>',
    );
    expect(f).toBeInstanceOf(WsmanFault);
    expect(f).toMatchObject({
      soapCode: 's:Sender',
      subcode: 'w:InvalidSelectors',
      subcodeName: 'InvalidSelectors',
      code: FAULT_CODE.invalidSelectors,
      machine: '10.0.0.1',
      reason: 'bad selectors',
      faultMessage: 'inner text',
      faultDetail: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/UnexpectedSelectors',
      providerFault: { provider: 'Shell provider', path: '%systemroot%\\system32\\WsmSvc.dll', code: 2150858843, message: 'inner text' },
      action: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
    });
    expect(f.message).toBe('WS-Management InvalidSelectors (code 2150858843) on 10.0.0.1: inner text');
    expect(faultCodeName(f.code)).toBe('invalidSelectors');
  });

  it('reads a provider fault that holds plain text', () => {
    const f = faultOf(
      '<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:InternalError</s:Value></s:Subcode></s:Code><s:Reason><s:Text>r</s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2147942402" Machine="m"><f:Message><f:ProviderFault provider="Shell cmd plugin" path="p">The system cannot find the file specified. </f:ProviderFault></f:Message></f:WSManFault></s:Detail></s:Fault>',
    );
    expect(f.code).toBe(FAULT_CODE.fileNotFound);
    expect(f.providerFault).toEqual({
      provider: 'Shell cmd plugin',
      path: 'p',
      code: undefined,
      machine: undefined,
      message: 'The system cannot find the file specified.',
    });
    expect(f.faultMessage).toBe('The system cannot find the file specified.');
  });

  it('takes the code of a WMI error detail', () => {
    const f = faultOf(
      '<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>w:QuotaLimit</s:Value></s:Subcode></s:Code><s:Reason><s:Text>too many shells </s:Text></s:Reason><s:Detail><p:MSFT_WmiError xmlns:p="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/MSFT_WmiError"><p:Message>max 30 shells </p:Message><p:error_Code>2150859173</p:error_Code></p:MSFT_WmiError></s:Detail></s:Fault>',
    );
    expect(f.code).toBe(FAULT_CODE.shellQuota);
    expect(f.faultMessage).toBe('max 30 shells');
  });

  it('survives a fault with nothing but a code', () => {
    const f = faultOf('<s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code></s:Fault>');
    expect(f).toMatchObject({ soapCode: 's:Receiver', code: undefined, subcodeName: undefined });
    expect(f.message).toBe('WS-Management s:Receiver');
  });
});

describe('one error root', () => {
  it('XML, NTLM and SDDL failures are WsmanErrors', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(XmlError);
    expect(() => parseXml('<a><b></a>')).toThrow(WsmanError);
    expect(() => parseSddl('O:')).toThrow(SddlError);
    expect(() => parseSddl('O:')).toThrow(WsmanError);
    expect(new NtlmError('bad token')).toBeInstanceOf(WsmanError);
  });
});
