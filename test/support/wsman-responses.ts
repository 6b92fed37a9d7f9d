/** Response envelopes shaped like the Windows captures, written for these tests. */
const NSDECL =
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" xmlns:n="http://schemas.xmlsoap.org/ws/2004/09/enumeration" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"';

export function response(action: string, relatesTo: string | undefined, body: string): string {
  const rel = relatesTo ? `<a:RelatesTo>${relatesTo}</a:RelatesTo>` : '';
  return `<s:Envelope xml:lang="en-US" ${NSDECL}><s:Header><a:Action>${action}</a:Action><a:MessageID>uuid:9F0C0000-0000-0000-0000-000000000001</a:MessageID><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>${rel}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

export function fault(relatesTo: string | undefined, subcode: string, code: number, text: string, soapCode = 's:Sender'): string {
  return response(
    'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
    relatesTo,
    `<s:Fault><s:Code><s:Value>${soapCode}</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">${text} </s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="${code}" Machine="10.1.1.1"><f:Message>${text} </f:Message></f:WSManFault></s:Detail></s:Fault>`,
  );
}

export const SHELL_ID = '4283CBDC-3706-415B-88BD-B385F3E51A53';
export const COMMAND_ID = 'CF84C20A-0A35-43FA-AF78-0B4711DA5F30';

export const CREATE_SHELL_BODY = `<x:ResourceCreated><a:Address>http://h:5985/wsman</a:Address><a:ReferenceParameters><w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">${SHELL_ID}</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated><rsp:Shell><rsp:ShellId>${SHELL_ID}</rsp:ShellId><rsp:ResourceUri>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</rsp:ResourceUri><rsp:Owner>ops</rsp:Owner><rsp:ClientIP>10.1.1.2</rsp:ClientIP><rsp:IdleTimeOut>PT7200.000S</rsp:IdleTimeOut><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams><rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime><rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity></rsp:Shell>`;

export function receiveBody(chunks: Array<[string, string]>, done?: number): string {
  const streams = chunks
    .map(([name, text]) => `<rsp:Stream Name="${name}" CommandId="${COMMAND_ID}">${Buffer.from(text).toString('base64')}</rsp:Stream>`)
    .join('');
  const state = done === undefined ? 'Running' : 'Done';
  const exit = done === undefined ? '' : `<rsp:ExitCode>${done}</rsp:ExitCode>`;
  return `<rsp:ReceiveResponse>${streams}<rsp:CommandState CommandId="${COMMAND_ID}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/${state}">${exit}</rsp:CommandState></rsp:ReceiveResponse>`;
}
