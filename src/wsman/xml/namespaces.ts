/** XML namespaces of WS-Management, WinRS and the WinRM configuration, with the prefixes Windows itself emits. */
export const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  a: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  w: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  p: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  x: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  n: 'http://schemas.xmlsoap.org/ws/2004/09/enumeration',
  e: 'http://schemas.xmlsoap.org/ws/2004/08/eventing',
  rsp: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  cfg: 'http://schemas.microsoft.com/wbem/wsman/1/config',
  f: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
  plugin: 'http://schemas.microsoft.com/wbem/wsman/1/config/PluginConfiguration',
  ps: 'http://schemas.microsoft.com/powershell',
  xml: 'http://www.w3.org/XML/1998/namespace',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export type NsPrefix = keyof typeof NS;
