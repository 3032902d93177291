#!/usr/bin/env python3
"""tests/sigv4/gen.py — generates tests/sigv4/cases.json with botocore's signer.

Each case is a request (method, URL, query parameters, headers in order,
body, credentials, region, service, time); botocore's SigV4Auth signs it and
the canonical request, string to sign and Authorization header it produced
are written next to it. tests/unit/test_sigv4.c replays every case through
providers/https/sigv4.c, so the C test needs no Python.

Run it from the repository root after changing the cases:
    python3 tests/sigv4/gen.py > tests/sigv4/cases.json
"""
import base64
import datetime
import json
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AK = "AKIDEXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = ("IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token+with/"
         "slashes=and==padding")

# (name, method, url, params, headers, body, creds, region, service, time)
T0 = "2026-11-27T12:34:56"
CASES = []


def case(name, method="POST", url="https://api.sagemaker.us-east-1.amazonaws.com/", params=None,
         headers=None, body=b"", token=None, region="us-east-1", service="sagemaker", when=T0,
         ak=AK, sk=SK):
    CASES.append(dict(name=name, method=method, url=url, params=params or [], headers=headers or [],
                      body=body, token=token, region=region, service=service, when=when, ak=ak, sk=sk))


J11 = [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "SageMaker.DescribeEndpoint")]
FORM = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]

case("empty-get", method="GET")
case("json11-describe-endpoint", headers=J11, body=b'{"EndpointName":"my-endpoint"}')
case("json11-empty-body", headers=J11, body=b"")
case("json11-empty-object", headers=J11, body=b"{}")
case("autoscaling", url="https://application-autoscaling.eu-west-1.amazonaws.com/",
     headers=[("Content-Type", "application/x-amz-json-1.1"),
              ("X-Amz-Target", "AnyScaleFrontendService.RegisterScalableTarget")],
     body=b'{"ServiceNamespace":"sagemaker","ResourceId":"endpoint/e/variant/AllTraffic",'
          b'"ScalableDimension":"sagemaker:variant:DesiredInstanceCount","MinCapacity":1,"MaxCapacity":4}',
     region="eu-west-1", service="application-autoscaling")
case("iam-global-query", url="https://iam.amazonaws.com/", headers=FORM,
     body=b"Action=GetRole&Version=2010-05-08&RoleName=my-role", service="iam")
case("iam-tags-flattened", url="https://iam.amazonaws.com/", headers=FORM,
     body=b"Action=CreateRole&Version=2010-05-08&RoleName=r&Tags.member.1.Key=env&Tags.member.1.Value=prod"
          b"&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D", service="iam")
case("sts-regional", url="https://sts.ap-southeast-2.amazonaws.com/", headers=FORM,
     body=b"Action=GetCallerIdentity&Version=2011-06-15", region="ap-southeast-2", service="sts")
case("sns", url="https://sns.us-west-2.amazonaws.com/", headers=FORM,
     body=b"Action=CreateTopic&Version=2010-03-31&Name=alerts", region="us-west-2", service="sns")
case("monitoring", url="https://monitoring.eu-central-1.amazonaws.com/", headers=FORM,
     body=b"Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=a%20b", region="eu-central-1",
     service="monitoring")
case("session-token", headers=J11, body=b"{}", token=TOKEN)
case("session-token-query", url="https://iam.amazonaws.com/", headers=FORM, body=b"Action=ListRoles&Version=2010-05-08",
     token=TOKEN, service="iam")
case("query-simple", method="GET", params=[("Action", "ListUsers"), ("Version", "2010-05-08")], service="iam",
     url="https://iam.amazonaws.com/")
case("query-unsorted", method="GET", params=[("zeta", "1"), ("Alpha", "2"), ("alpha", "3"), ("beta", "")])
case("query-duplicate-keys", method="GET", params=[("k", "b"), ("k", "a"), ("k", "c"), ("j", "z")])
case("query-spaces", method="GET", params=[("a key", "a value with  spaces"), ("plus", "1+1=2")])
case("query-reserved", method="GET", params=[("r", "!*'();:@&=+$,/?#[]"), ("tilde~", "-_.~")])
case("query-unicode", method="GET", params=[("name", "caf\u00e9"), ("emoji", "\U0001F600"), ("\u00fc", "x")])
case("query-percent", method="GET", params=[("p", "100%"), ("enc", "%20already")])
case("query-empty-values", method="GET", params=[("a", ""), ("b", ""), ("", "nokey")])
case("path-runtime", url="https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/my-endpoint/invocations",
     headers=[("Content-Type", "application/json"), ("Accept", "application/json")],
     body=b'{"instances":[[1,2,3]]}')
case("path-encoded-chars", method="GET", url="https://example.amazonaws.com/a%20b/c%2Fd/%E2%82%AC")
case("path-unicode-raw", method="GET", url="https://example.amazonaws.com/caf\u00e9/na\u00efve")
case("path-dot-segments", method="GET", url="https://example.amazonaws.com/a/./b/../c/")
case("path-double-slash", method="GET", url="https://example.amazonaws.com/a//b///c")
case("path-reserved", method="GET", url="https://example.amazonaws.com/a:b@c!d$e&f'g(h)i*j+k,l;m=n")
case("path-trailing-slash", method="GET", url="https://example.amazonaws.com/foo/")
case("path-tilde-underscore", method="GET", url="https://example.amazonaws.com/~user/_x-y.z")
case("header-whitespace", headers=[("X-Amz-Meta", "  lots   of\tspace  inside "), ("My-Header", "a  b   c")],
     body=b"x")
case("header-case", headers=[("X-MiXeD-CaSe", "Value"), ("x-lower", "v2"), ("ACCEPT", "*/*")])
case("header-duplicate", headers=[("X-Dup", "first"), ("X-Other", "o"), ("x-dup", "second"), ("X-DUP", " third ")])
case("header-empty-value", headers=[("X-Empty", ""), ("X-Spaces", "   ")])
case("header-unicode-value", headers=[("X-Unicode", "caf\u00e9 \u20ac")])
case("header-blacklisted", headers=[("User-Agent", "tfc/0.1"), ("Expect", "100-continue"),
                                    ("X-Amzn-Trace-Id", "Root=1"), ("Connection", "keep-alive"),
                                    ("Content-Type", "text/plain")])
case("header-explicit-host", url="https://example.amazonaws.com/", headers=[("Host", "Other.Host.Example")])
case("payload-binary", headers=[("Content-Type", "application/octet-stream")], body=bytes(range(256)))
case("payload-unicode", headers=[("Content-Type", "application/json")], body="{\"t\":\"\u00e9\u20ac\U0001F600\"}".encode())
case("payload-large", headers=[("Content-Type", "text/plain")], body=b"0123456789abcdef" * 4096)
case("payload-newlines", headers=[("Content-Type", "text/plain")], body=b"line1\nline2\r\n\n")
case("port-nondefault", url="http://127.0.0.1:5000/", headers=FORM, body=b"Action=GetCallerIdentity&Version=2011-06-15",
     service="sts")
case("port-default-https", url="https://sts.us-east-1.amazonaws.com:443/", service="sts")
case("port-default-http", url="http://localhost:80/", service="sts")
case("host-uppercase", url="https://API.SageMaker.US-EAST-1.amazonaws.com/", headers=J11, body=b"{}")
case("region-cn", url="https://api.sagemaker.cn-north-1.amazonaws.com.cn/", region="cn-north-1", headers=J11,
     body=b"{}")
case("region-gov", url="https://iam.us-gov.amazonaws.com/", region="us-gov-west-1", service="iam", headers=FORM,
     body=b"Action=GetUser&Version=2010-05-08")
case("time-new-year", when="2027-01-01T00:00:00", headers=J11, body=b"{}")
case("time-leap-day", when="2028-02-29T23:59:59", headers=J11, body=b"{}", token=TOKEN)
case("secret-special", sk="a+b/c=d e\u00e9", ak="AKIA/WITH+CHARS", headers=J11, body=b"{}")
case("everything", method="PUT", url="https://api.sagemaker.eu-west-3.amazonaws.com:8443/x/y%2Fz/../w",
     params=[("b", "2 2"), ("a", "1"), ("a", "0"), ("\u00e9", "\u20ac")],
     headers=[("X-Dup", "1"), ("Content-Type", "application/json"), ("x-dup", " 2  3 "), ("User-Agent", "ua")],
     body=b'{"k":"v"}', token=TOKEN, region="eu-west-3", service="sagemaker")


def sign(c):
    creds = Credentials(c["ak"], c["sk"], c["token"])
    req = AWSRequest(method=c["method"], url=c["url"], data=c["body"], params=list(c["params"]) or None)
    for k, v in c["headers"]:
        req.headers[k] = v  # HTTPHeaders appends, so repeated names stay repeated
    when = datetime.datetime.strptime(c["when"], "%Y-%m-%dT%H:%M:%S")
    signer = botocore.auth.SigV4Auth(creds, c["service"], c["region"])
    seen = {}
    orig_cr, orig_sts = signer.canonical_request, signer.string_to_sign

    def record_cr(r):
        seen["cr"] = orig_cr(r)
        return seen["cr"]

    def record_sts(r, cr):
        seen["sts"] = orig_sts(r, cr)
        return seen["sts"]

    # record what add_auth itself computed (calling the methods again after
    # signing would see the Authorization header it added)
    signer.canonical_request, signer.string_to_sign = record_cr, record_sts
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        signer.add_auth(req)
    return seen["cr"], seen["sts"], req.headers["Authorization"], req.headers["X-Amz-Date"]


def main():
    out = {"generator": "botocore " + botocore.__version__, "cases": []}
    for c in CASES:
        cr, sts, auth, amzdate = sign(c)
        epoch = int((datetime.datetime.strptime(c["when"], "%Y-%m-%dT%H:%M:%S")
                     - datetime.datetime(1970, 1, 1)).total_seconds())
        try:
            body = {"body": c["body"].decode("utf-8")}
        except UnicodeDecodeError:
            body = {"body_base64": base64.b64encode(c["body"]).decode()}
        out["cases"].append({
            "name": c["name"], "method": c["method"], "url": c["url"],
            "params": [list(p) for p in c["params"]], "headers": [list(h) for h in c["headers"]],
            **body,
            "access_key": c["ak"], "secret_key": c["sk"], "token": c["token"],
            "region": c["region"], "service": c["service"], "time": epoch,
            "expect": {"canonical_request": cr, "string_to_sign": sts, "authorization": auth,
                       "x_amz_date": amzdate},
        })
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
