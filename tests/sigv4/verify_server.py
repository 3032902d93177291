#!/usr/bin/env python3
"""tests/sigv4/verify_server.py — an HTTP server on 127.0.0.1 that checks
every request's SigV4 signature with botocore's signer.

It rebuilds each request from what arrived on the wire (method, path,
the headers named in SignedHeaders, body), signs it again with botocore for
the same time, credentials, region and service, and answers 403
SignatureDoesNotMatch when the Authorization headers differ, or a minimal
success body of the request's protocol when they agree. This proves that
what tfc signs is what libcurl actually sends.

    verify_server.py PORTFILE ACCESS_KEY SECRET_KEY [TOKEN]
writes the port it listens on to PORTFILE and serves until killed.
"""
import datetime
import http.server
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

PORTFILE, AK, SK = sys.argv[1], sys.argv[2], sys.argv[3]
TOKEN = sys.argv[4] if len(sys.argv) > 4 else None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, ctype):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        auth = self.headers.get("Authorization", "")
        try:
            fields = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
            _, date, region, service, _ = fields["Credential"].split("/")
            signed = fields["SignedHeaders"].split(";")
        except (ValueError, KeyError):
            return self.answer(403, '{"__type":"IncompleteSignatureException","message":"bad Authorization"}',
                               "application/x-amz-json-1.1")
        req = AWSRequest(method="POST", url="http://%s%s" % (self.headers["Host"], self.path), data=body)
        for name in signed:
            if name in ("x-amz-date", "x-amz-security-token"):
                continue  # the signer adds these itself
            for value in self.headers.get_all(name, []):
                req.headers[name] = value
        when = datetime.datetime.strptime(self.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
        signer = botocore.auth.SigV4Auth(Credentials(AK, SK, TOKEN), service, region)
        with mock.patch("botocore.auth.get_current_datetime", return_value=when):
            signer.add_auth(req)
        ok = req.headers["Authorization"] == auth and self.headers.get("X-Amz-Security-Token") == TOKEN
        target = self.headers.get("X-Amz-Target")
        if not ok:
            msg = "The request signature we calculated does not match the signature you provided."
            if target or self.path.startswith("/endpoints/"):
                return self.answer(403, '{"__type":"SignatureDoesNotMatch","message":"%s"}' % msg,
                                   "application/x-amz-json-1.1")
            return self.answer(403, "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>%s"
                                    "</Message></Error></ErrorResponse>" % msg, "text/xml")
        if target:
            return self.answer(200, '{"Signed":"%s"}' % service, "application/x-amz-json-1.1")
        if self.path.startswith("/endpoints/"):
            return self.answer(200, "signed", "text/plain")
        action = dict(p.split("=", 1) for p in body.decode().split("&") if "=" in p).get("Action", "X")
        return self.answer(200, "<%sResponse><%sResult><Signed>%s</Signed></%sResult></%sResponse>"
                           % (action, action, service, action, action), "text/xml")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
