#!/usr/bin/env python3
"""tests/moto/compare.py — runs the same request sequence against moto (a
real AWS API emulator, through boto3) and against tfc's simulator (through
`tfc sim call`), and reports, per call, whether both succeed or fail alike,
with the same error code, and which response fields only one side returns.

Usage: python3 tests/moto/compare.py [path/to/tfc]   (starts moto_server itself)
The findings are summarised in providers/sim/README.md ("moto differences").
Not part of `make test`: it needs moto, and moto is not the oracle; AWS is.
"""
import json, os, socket, subprocess, sys, tempfile, time, datetime

import boto3
from botocore.exceptions import ClientError

TFC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/tfc")
BOTO = {"monitoring": "cloudwatch"}
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
S3 = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::models/*"},
                                                       {"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": "*"}]})
ROLE = "arn:aws:iam::123456789012:role/exec"
IMG = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1"
RID = "endpoint/ep/variant/AllTraffic"
TGT = {"ServiceNamespace": "sagemaker", "ResourceId": RID, "ScalableDimension": "sagemaker:variant:DesiredInstanceCount"}
PV = lambda model, n: [{"VariantName": "AllTraffic", "ModelName": model, "InstanceType": "ml.m5.large", "InitialInstanceCount": n}]

SEQ = [
    ("sts", "GetCallerIdentity", {}),
    ("iam", "CreateRole", {"RoleName": "exec", "AssumeRolePolicyDocument": TRUST}),
    ("iam", "CreateRole", {"RoleName": "exec", "AssumeRolePolicyDocument": TRUST}),
    ("iam", "CreateRole", {"RoleName": "bad name!", "AssumeRolePolicyDocument": TRUST}),
    ("iam", "GetRole", {"RoleName": "exec"}),
    ("iam", "GetRole", {"RoleName": "ghost"}),
    ("iam", "UpdateRole", {"RoleName": "exec", "MaxSessionDuration": 7200}),
    ("iam", "UpdateAssumeRolePolicy", {"RoleName": "exec", "PolicyDocument": TRUST}),
    ("iam", "PutRolePolicy", {"RoleName": "exec", "PolicyName": "s3", "PolicyDocument": S3}),
    ("iam", "GetRolePolicy", {"RoleName": "exec", "PolicyName": "s3"}),
    ("iam", "GetRolePolicy", {"RoleName": "exec", "PolicyName": "nope"}),
    ("iam", "ListRolePolicies", {"RoleName": "exec"}),
    ("iam", "ListAttachedRolePolicies", {"RoleName": "exec"}),
    ("iam", "TagRole", {"RoleName": "exec", "Tags": [{"Key": "a", "Value": "b"}]}),
    ("iam", "ListRoleTags", {"RoleName": "exec"}),
    ("iam", "CreateRole", {"RoleName": "tmp", "AssumeRolePolicyDocument": TRUST}),
    ("iam", "PutRolePolicy", {"RoleName": "tmp", "PolicyName": "p", "PolicyDocument": S3}),
    ("iam", "DeleteRole", {"RoleName": "tmp"}),
    ("iam", "DeleteRolePolicy", {"RoleName": "tmp", "PolicyName": "p"}),
    ("iam", "DeleteRolePolicy", {"RoleName": "tmp", "PolicyName": "p"}),
    ("iam", "DeleteRole", {"RoleName": "tmp"}),
    ("sns", "CreateTopic", {"Name": "ops"}),
    ("sns", "CreateTopic", {"Name": "ops"}),
    ("sns", "GetTopicAttributes", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:ops"}),
    ("sns", "SetTopicAttributes", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:ops", "AttributeName": "DisplayName", "AttributeValue": "Ops"}),
    ("sns", "GetTopicAttributes", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:nope"}),
    ("sns", "ListTagsForResource", {"ResourceArn": "arn:aws:sns:us-east-1:123456789012:ops"}),
    ("sagemaker", "CreateModel", {"ModelName": "m1", "ExecutionRoleArn": ROLE, "PrimaryContainer": {"Image": IMG, "ModelDataUrl": "s3://models/m.tar.gz"}}),
    ("sagemaker", "CreateModel", {"ModelName": "m1", "ExecutionRoleArn": ROLE, "PrimaryContainer": {"Image": IMG}}),
    ("sagemaker", "CreateModel", {"ModelName": "bad-", "ExecutionRoleArn": ROLE, "PrimaryContainer": {"Image": IMG}}),
    ("sagemaker", "DescribeModel", {"ModelName": "m1"}),
    ("sagemaker", "DescribeModel", {"ModelName": "ghost"}),
    ("sagemaker", "CreateEndpointConfig", {"EndpointConfigName": "c1", "ProductionVariants": PV("m1", 1)}),
    ("sagemaker", "CreateEndpointConfig", {"EndpointConfigName": "c1", "ProductionVariants": PV("m1", 1)}),
    ("sagemaker", "CreateEndpointConfig", {"EndpointConfigName": "c9", "ProductionVariants": PV("ghost", 1)}),
    ("sagemaker", "DescribeEndpointConfig", {"EndpointConfigName": "c1"}),
    ("sagemaker", "DescribeEndpointConfig", {"EndpointConfigName": "ghost"}),
    ("sagemaker", "CreateEndpointConfig", {"EndpointConfigName": "c2", "ProductionVariants": PV("m1", 2)}),
    ("sagemaker", "CreateEndpoint", {"EndpointName": "ep", "EndpointConfigName": "c1"}),
    ("sagemaker", "CreateEndpoint", {"EndpointName": "ep", "EndpointConfigName": "c1"}),
    ("sagemaker", "CreateEndpoint", {"EndpointName": "ep2", "EndpointConfigName": "ghost"}),
    ("sagemaker", "DescribeEndpoint", {"EndpointName": "ep"}),
    ("sim", "Advance", {"Seconds": 900}),
    ("sagemaker", "DescribeEndpoint", {"EndpointName": "ep"}),
    ("sagemaker", "DescribeEndpoint", {"EndpointName": "ghost"}),
    ("sagemaker", "AddTags", {"ResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep", "Tags": [{"Key": "a", "Value": "b"}]}),
    ("sagemaker", "ListTags", {"ResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep"}),
    ("sagemaker-runtime", "InvokeEndpoint", {"EndpointName": "ep", "Body": "{\"x\":1}", "ContentType": "application/json"}),
    ("application-autoscaling", "RegisterScalableTarget", dict(TGT, MinCapacity=1, MaxCapacity=4)),
    ("application-autoscaling", "DescribeScalableTargets", {"ServiceNamespace": "sagemaker"}),
    ("application-autoscaling", "PutScalingPolicy", dict(TGT, PolicyName="ipi", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={"TargetValue": 100.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"}})),
    ("application-autoscaling", "DescribeScalingPolicies", {"ServiceNamespace": "sagemaker"}),
    ("monitoring", "DescribeAlarms", {}),
    ("application-autoscaling", "DescribeScalingActivities", {"ServiceNamespace": "sagemaker"}),
    ("application-autoscaling", "DeleteScalingPolicy", dict(TGT, PolicyName="nope")),
    ("application-autoscaling", "DeleteScalingPolicy", dict(TGT, PolicyName="ipi")),
    ("application-autoscaling", "DeregisterScalableTarget", TGT),
    ("application-autoscaling", "DeregisterScalableTarget", TGT),
    ("monitoring", "PutMetricAlarm", {"AlarmName": "errs", "Namespace": "AWS/SageMaker", "MetricName": "Invocation5XXErrors",
        "Dimensions": [{"Name": "EndpointName", "Value": "ep"}], "Statistic": "Average", "Period": 60, "EvaluationPeriods": 2,
        "Threshold": 0.05, "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:ops"]}),
    ("monitoring", "DescribeAlarms", {"AlarmNames": ["errs"]}),
    ("monitoring", "SetAlarmState", {"AlarmName": "errs", "StateValue": "ALARM", "StateReason": "test"}),
    ("monitoring", "SetAlarmState", {"AlarmName": "ghost", "StateValue": "ALARM", "StateReason": "test"}),
    ("monitoring", "DescribeAlarms", {"StateValue": "ALARM"}),
    ("monitoring", "DeleteAlarms", {"AlarmNames": ["ghost"]}),
    ("monitoring", "DeleteAlarms", {"AlarmNames": ["errs"]}),
    ("sagemaker", "UpdateEndpoint", {"EndpointName": "ep", "EndpointConfigName": "c2"}),
    ("sagemaker", "UpdateEndpoint", {"EndpointName": "ep", "EndpointConfigName": "c1"}),
    ("sagemaker", "DescribeEndpoint", {"EndpointName": "ep"}),
    ("sagemaker", "DeleteEndpointConfig", {"EndpointConfigName": "c1"}),
    ("sagemaker", "DeleteEndpointConfig", {"EndpointConfigName": "c1"}),
    ("sagemaker", "DeleteModel", {"ModelName": "ghost"}),
    ("sim", "Advance", {"Seconds": 3600}),
    ("sagemaker", "DeleteEndpoint", {"EndpointName": "ep"}),
    ("sagemaker", "DeleteEndpoint", {"EndpointName": "ghost"}),
    ("sns", "DeleteTopic", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:ops"}),
]

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def shape(v):
    """The field structure of a response: keys of objects, first element of lists."""
    if isinstance(v, dict):
        return {k: shape(x) for k, x in v.items() if k != "ResponseMetadata"}
    if isinstance(v, list):
        return [shape(v[0])] if v else []
    return type(v).__name__

def diff(a, b, path=""):
    out = []
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in b: out.append(f"{path}{k} only in moto")
            elif k not in a: out.append(f"{path}{k} only in sim")
            else: out += diff(a[k], b[k], f"{path}{k}.")
    elif isinstance(a, list) and isinstance(b, list) and a and b:
        out += diff(a[0], b[0], path + "0.")
    return out

def main():
    port = free_port()
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close(); break
            except OSError: time.sleep(0.1)
        clients = {}
        def client(svc):
            name = BOTO.get(svc, svc)
            if name not in clients:
                clients[name] = boto3.client(name, region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
                                             aws_access_key_id="testing", aws_secret_access_key="testing")
            return clients[name]
        work = tempfile.mkdtemp()
        same = 0
        for i, (svc, op, params) in enumerate(SEQ):
            if svc == "sim":
                subprocess.run([TFC, "sim", "call", svc, op, json.dumps(params)], cwd=work, capture_output=True)
                continue
            r = subprocess.run([TFC, "sim", "call", svc, op, json.dumps(params)], cwd=work, capture_output=True, text=True)
            sim_ok = r.returncode == 0
            sim_out = json.loads(r.stdout) if sim_ok else None
            sim_code = None if sim_ok else r.stderr.split(":")[1].strip()
            sim_msg = "" if sim_ok else r.stderr.split(":", 2)[2].strip()
            moto_msg = ""
            try:
                fn = getattr(client(svc), "".join("_" + c.lower() if c.isupper() else c for c in op).lstrip("_"))
                mresp = fn(**params); moto_ok, moto_code = True, None
                if "Body" in mresp and hasattr(mresp["Body"], "read"): mresp["Body"] = mresp["Body"].read().decode()
                mresp = json.loads(json.dumps(mresp, default=str))
            except ClientError as e:
                moto_ok, moto_code, mresp = False, e.response["Error"]["Code"], None
                moto_msg = e.response["Error"].get("Message", "")
            except Exception as e:
                moto_ok, moto_code, mresp = False, type(e).__name__, None
            notes = []
            if moto_ok != sim_ok or moto_code != sim_code:
                notes.append(f"outcome: moto {'ok' if moto_ok else moto_code}, sim {'ok' if sim_ok else sim_code}")
                if not sim_ok: notes.append(f"sim message: {sim_msg[:160]}")
            if not moto_ok and not sim_ok and moto_code == sim_code and moto_msg != sim_msg:
                notes.append(f"message: moto {moto_msg[:150]!r}")
                notes.append(f"         sim  {sim_msg[:150]!r}")
            if moto_ok and sim_ok:
                notes += diff(shape(mresp), shape(sim_out))
            if notes:
                print(f"#{i} {svc} {op} {json.dumps(params)[:70]}")
                for n in notes: print(f"    {n}")
            if not [n for n in notes if not n.startswith(("message:", "    "))]:
                same += 1
        print(f"\n{same} of {sum(1 for s in SEQ if s[0] != 'sim')} calls agree in outcome, error code and fields (messages aside)")
    finally:
        moto.terminate(); moto.wait()

if __name__ == "__main__":
    main()
