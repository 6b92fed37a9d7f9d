#!/usr/bin/python3
"""An independent Kerberos peer on MIT's GSS-API (Debian python3-gssapi), driven by JSON lines.

Acceptor ops use the keytab in KRB5_KTNAME; initiator ops use the credential cache in KRB5CCNAME.
Each request is one JSON object on stdin; each answer one JSON object on stdout. Byte strings are
base64. One security context per process.
"""
import base64
import json
import sys

import gssapi
import gssapi.raw as graw

SPNEGO = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
KRB5 = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2")

ctx = None


def b64(data):
    return None if data is None else base64.b64encode(data).decode()


def unb64(text):
    return base64.b64decode(text) if text else b""


def bindings(req):
    cb = req.get("cb")
    return graw.ChannelBindings(application_data=unb64(cb)) if cb else None


def handle(req):
    global ctx
    op = req["op"]
    if op == "accept":
        if ctx is None:
            ctx = gssapi.SecurityContext(usage="accept", channel_bindings=bindings(req))
        out = ctx.step(unb64(req["token"]))
        return {"response": b64(out), "complete": ctx.complete, "initiator": str(ctx.initiator_name) if ctx.complete else None}
    if op == "init":
        mech = SPNEGO if req.get("mech") == "spnego" else KRB5
        name = gssapi.Name(req["target"], gssapi.NameType.hostbased_service)
        flags = gssapi.RequirementFlag.mutual_authentication | gssapi.RequirementFlag.confidentiality | gssapi.RequirementFlag.integrity | gssapi.RequirementFlag.out_of_sequence_detection
        ctx = gssapi.SecurityContext(name=name, usage="initiate", mech=mech, flags=flags, channel_bindings=bindings(req))
        return {"token": b64(ctx.step()), "complete": ctx.complete}
    if op == "init_step":
        out = ctx.step(unb64(req["token"]))
        return {"token": b64(out), "complete": ctx.complete}
    if op == "wrap":
        res = ctx.wrap(unb64(req["plain"]), True)
        return {"token": b64(res.message), "encrypted": res.encrypted}
    if op == "unwrap":
        res = ctx.unwrap(unb64(req["token"]))
        return {"plain": b64(res.message), "encrypted": res.encrypted}
    if op == "wrap_iov":
        # What pywinrm does for WinRM message encryption (winrm/encryption.py _wrap_kerberos).
        iov = graw.IOV(graw.IOVBufferType.header, unb64(req["plain"]), graw.IOVBufferType.padding, std_layout=False)
        graw.wrap_iov(ctx, iov, confidential=True)
        return {"header": b64(iov[0].value), "data": b64(iov[1].value), "padding": b64(iov[2].value or b"")}
    if op == "unwrap_iov":
        iov = graw.IOV((graw.IOVBufferType.header, False, unb64(req["header"])), (graw.IOVBufferType.data, False, unb64(req["data"])), std_layout=False)
        graw.unwrap_iov(ctx, iov)
        return {"plain": b64(iov[1].value)}
    raise ValueError("unknown op " + op)


for line in sys.stdin:
    try:
        answer = handle(json.loads(line))
        answer["ok"] = True
    except Exception as e:  # noqa: BLE001 - every failure goes back to the test as text
        answer = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
