"""Drives the emulator with Debian's python3-winrm (pywinrm), an independent client written for real Windows.
Usage: pywinrm-driver.py ENDPOINT TRANSPORT [CA_FILE]; prints one JSON object with what it observed."""
import json
import sys

import winrm
from winrm.protocol import Protocol

endpoint, transport = sys.argv[1], sys.argv[2]
ca = sys.argv[3] if len(sys.argv) > 3 else None
kwargs = {"transport": transport, "username": "vagrant", "password": "vagrant", "operation_timeout_sec": 20, "read_timeout_sec": 30}
if transport == "kerberos":
    # Tickets from the credential cache in KRB5CCNAME (requests-kerberos through pykerberos), channel
    # bindings of the TLS server certificate sent (send_cbt), mutual authentication required.
    kwargs["username"] = None
    kwargs["password"] = None
if transport == "ntlm":
    # NTLM over plain HTTP with every message sealed, as against a default Windows host (AllowUnencrypted=false).
    kwargs["message_encryption"] = "always"
if ca:
    kwargs["server_cert_validation"] = "validate"
    kwargs["ca_trust_path"] = ca
protocol = Protocol(endpoint, **kwargs)
out = {}

shell = protocol.open_shell()
cmd = protocol.run_command(shell, "echo", ["hello from pywinrm"])
stdout, stderr, code = protocol.get_command_output(shell, cmd)
protocol.cleanup_command(shell, cmd)
out["echo"] = {"stdout": stdout.decode(), "stderr": stderr.decode(), "code": code}
cmd = protocol.run_command(shell, "sh -c 'echo err >&2; exit 4'")
stdout, stderr, code = protocol.get_command_output(shell, cmd)
out["fail"] = {"stdout": stdout.decode(), "stderr": stderr.decode(), "code": code}
protocol.close_shell(shell)

PLUGIN = "http://schemas.microsoft.com/wbem/wsman/1/config/plugin"


def raw(action, selector=None, body=""):
    sel = ""
    if selector:
        sel = '<wsman:SelectorSet><wsman:Selector Name="Name">%s</wsman:Selector></wsman:SelectorSet>' % selector
    env = (
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:wsman="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:wsen="http://schemas.xmlsoap.org/ws/2004/09/enumeration">'
        "<s:Header><wsa:To>%s</wsa:To><wsa:ReplyTo><wsa:Address s:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo>"
        '<wsman:ResourceURI s:mustUnderstand="true">%s</wsman:ResourceURI><wsa:Action s:mustUnderstand="true">%s</wsa:Action>'
        "<wsman:MaxEnvelopeSize s:mustUnderstand=\"true\">153600</wsman:MaxEnvelopeSize><wsa:MessageID>uuid:0A6C1A8B-7D4E-4F6B-9E3A-2B1C0D9E8F7A</wsa:MessageID>"
        "<wsman:OperationTimeout>PT20S</wsman:OperationTimeout>%s</s:Header><s:Body>%s</s:Body></s:Envelope>"
    ) % (endpoint, PLUGIN, action, sel, body)
    try:
        resp = protocol.send_message(env)
        return resp.decode() if isinstance(resp, bytes) else resp
    except Exception as e:  # pywinrm turns an HTTP 500 SOAP fault into WinRMError with the fault data
        return "FAULT:" + type(e).__name__ + ":" + str(e)


T = "http://schemas.xmlsoap.org/ws/2004/09/transfer/"
got = raw(T + "Get", "microsoft.powershell")
out["get"] = got
enum = raw("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", None, '<wsen:Enumerate><wsman:OptimizeEnumeration/><wsman:MaxElements>100</wsman:MaxElements></wsen:Enumerate>')
out["enumerate"] = enum
start = got.index("<PlugInConfiguration")
doc = got[start : got.index("</PlugInConfiguration>") + len("</PlugInConfiguration>")]
out["put"] = raw(T + "Put", "microsoft.powershell", doc.replace('MaxShells="2147483647"', 'MaxShells="30"'))
out["put_bad"] = raw(T + "Put", "microsoft.powershell", doc.replace('MaxShells="2147483647"', 'MaxShells="-1"'))
# pywinrm's own PowerShell path: run_ps sends `powershell -encodedcommand <UTF-16LE base64>` to a cmd shell.
# (No error stream: this pywinrm's run_ps compares the stderr bytes with a str and fails on any stderr.)
session = winrm.Session(endpoint, auth=(kwargs["username"], kwargs["password"]), **{k: v for k, v in kwargs.items() if k not in ("username", "password")})
ps = session.run_ps("$PSVersionTable.PSVersion.ToString(); exit 3")
out["run_ps"] = {"stdout": ps.std_out.decode(), "stderr": ps.std_err.decode(), "code": ps.status_code}
print(json.dumps(out))
