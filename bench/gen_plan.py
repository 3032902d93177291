#!/usr/bin/env python3
"""Generates a working directory for the plan benchmark: a configuration of N
resources, the terraform.tfstate an apply of it would have written and the
simulated AWS world (.tfc/sim-world.json) holding the same objects.

Usage: gen_plan.py DIR N [--config-only | --exact]

--exact writes the state and world of the configuration just applied, with no
differences (to compare with what `tfc apply` writes).

Applying N resources with tfc costs O(N^2) (the state and the world are
rewritten and fsynced after every operation), so the state and the world are
written here directly, in the shapes tfc writes them (copied from an apply of
this configuration; tests/suites/bench.sh checks that they still agree).

The configuration is made of groups of 10 resources: per group an SNS topic,
an IAM role and its inline policy (count), five alarms (for_each over the
roles and alarm kinds; range() stops at 1024), and two blocks of their own (a latency alarm and a
logs policy) that refer to the counted resources. The state differs from the
configuration in a few places so the plan is "No changes" almost everywhere:
the last group was never applied (10 to add), and three latency alarms have
another threshold (3 to change)."""
import hashlib, json, os, sys

ACCOUNT = "123456789012"
REGION = "us-east-1"
PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'
TIME = "2026-01-01T00:00:00Z"
EPOCH = 1767225600
KINDS = ["errors", "latency", "throttles", "invocations", "capacity"]
DRIFTED = 3  # latency alarms whose threshold differs from the configuration


def jsonencode(v):
    """Terraform's jsonencode: sorted keys, no spaces, <>& escaped."""
    s = json.dumps(v, sort_keys=True, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_config(d, groups):
    with open(os.path.join(d, "provider.tf"), "w") as f:
        f.write('provider "aws" {\n  region = "%s"\n}\n' % REGION)
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(f'''variable "environment" {{
  type    = string
  default = "bench"
}}

variable "groups" {{
  type    = number
  default = {groups}
}}

locals {{
  prefix = "${{var.environment}}-svc"
  kinds  = {json.dumps(KINDS).replace(",", ", ")}
}}

resource "aws_sns_topic" "alerts" {{
  count = var.groups
  name  = "${{local.prefix}}-alerts-${{count.index}}"
  tags  = {{ Team = "t${{count.index % 10}}" }}
}}

resource "aws_iam_role" "svc" {{
  count = var.groups
  name  = "${{local.prefix}}-role-${{count.index}}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Action = "sts:AssumeRole", Effect = "Allow", Principal = {{ Service = "sagemaker.amazonaws.com" }} }}]
  }})
}}

resource "aws_iam_role_policy" "publish" {{
  count = var.groups
  name  = "publish"
  role  = aws_iam_role.svc[count.index].id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Action = "sns:Publish", Effect = "Allow", Resource = aws_sns_topic.alerts[count.index].arn }}]
  }})
}}

resource "aws_cloudwatch_metric_alarm" "svc" {{
  for_each            = {{ for p in flatten([for g, role in aws_iam_role.svc : [for k in local.kinds : {{ g = g, kind = k }}]]) : "${{p.g}}-${{p.kind}}" => p }}
  alarm_name          = "${{local.prefix}}-${{each.key}}"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  metric_name         = "Invocation5XXErrors"
  namespace           = "AWS/SageMaker"
  period              = 60
  statistic           = "Sum"
  threshold           = 5
  alarm_actions       = [aws_sns_topic.alerts[each.value.g].arn]
  dimensions          = {{ Role = aws_iam_role.svc[each.value.g].name, Kind = each.value.kind }}
}}
''')
        for g in range(groups):
            f.write(f'''
resource "aws_cloudwatch_metric_alarm" "g{g}_latency" {{
  alarm_name          = "${{local.prefix}}-g{g}-model-latency"
  alarm_description   = "Model latency of group {g}"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 3
  metric_name         = "ModelLatency"
  namespace           = "AWS/SageMaker"
  period              = 300
  statistic           = "Average"
  threshold           = 500
  alarm_actions       = [aws_sns_topic.alerts[{g}].arn]
  ok_actions          = [aws_sns_topic.alerts[{g}].arn]
  dimensions          = {{ Role = aws_iam_role.svc[{g}].name }}
}}

resource "aws_iam_role_policy" "g{g}_logs" {{
  name = "logs"
  role = aws_iam_role.svc[{g}].name
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Effect   = "Allow"
      Resource = "arn:aws:logs:*:*:log-group:/bench/{g}:*"
    }}]
  }})
}}
''')


# ------------------------------------------------------------ objects


def topic_name(g):
    return f"bench-svc-alerts-{g}"


def topic_arn(g):
    return f"arn:aws:sns:{REGION}:{ACCOUNT}:{topic_name(g)}"


def role_name(g):
    return f"bench-svc-role-{g}"


def role_id(g):
    """A RoleId of AWS's shape (AROA + 17 upper-case letters and digits)."""
    h = int(hashlib.sha256(str(g).encode()).hexdigest(), 16)
    s = "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(h >> (5 * i)) % 32] for i in range(17))
    return "AROA" + s


def sns_policy(g):
    return ('{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID",'
            '"Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes",'
            '"SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe",'
            '"SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"%s","Condition":{"StringEquals":'
            '{"AWS:SourceOwner":"%s"}}}]}' % (topic_arn(g), ACCOUNT))


TRUST = jsonencode({"Version": "2012-10-17", "Statement": [
    {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}}]})


def publish_policy(g):
    return jsonencode({"Version": "2012-10-17",
                       "Statement": [{"Action": "sns:Publish", "Effect": "Allow", "Resource": topic_arn(g)}]})


def logs_policy(g):
    return jsonencode({"Version": "2012-10-17", "Statement": [{
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow",
        "Resource": f"arn:aws:logs:*:*:log-group:/bench/{g}:*"}]})


drifted = DRIFTED


def alarms(g):
    """(address key or block name, alarm fields) of group g's six alarms."""
    out = []
    for k in KINDS:
        out.append(("svc", f"{g}-{k}", dict(
            name=f"bench-svc-{g}-{k}", description=None, evaluation_periods=2, metric="Invocation5XXErrors",
            period=60, statistic="Sum", threshold=5, ok=None, dimensions={"Kind": k, "Role": role_name(g)})))
    out.append((f"g{g}_latency", None, dict(
        name=f"bench-svc-g{g}-model-latency", description=f"Model latency of group {g}", evaluation_periods=3,
        metric="ModelLatency", period=300, statistic="Average", threshold=400 if g < drifted else 500,
        ok=[topic_arn(g)], dimensions={"Role": role_name(g)})))
    return out


# ------------------------------------------------------------- state


def instance(key, attrs, deps=None):
    i = {}
    if key is not None:
        i["index_key"] = key
    i["schema_version"] = 0
    i["attributes"] = dict(sorted(attrs.items()))
    i["sensitive_attributes"] = []
    if deps:
        i["dependencies"] = deps
    return i


def resource(type_, name, instances):
    return {"mode": "managed", "type": type_, "name": name, "provider": PROVIDER, "instances": instances}


def alarm_attrs(a):
    return {
        "actions_enabled": True, "alarm_actions": [topic_arn_of(a)], "alarm_description": a["description"],
        "alarm_name": a["name"], "arn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{a['name']}",
        "comparison_operator": "GreaterThanThreshold", "datapoints_to_alarm": None, "dimensions": a["dimensions"],
        "evaluate_low_sample_count_percentiles": None, "evaluation_criteria": [], "evaluation_interval": None,
        "evaluation_periods": a["evaluation_periods"], "extended_statistic": None, "id": a["name"],
        "insufficient_data_actions": None, "metric_name": a["metric"], "metric_query": [],
        "namespace": "AWS/SageMaker", "ok_actions": a["ok"], "period": a["period"], "region": REGION,
        "statistic": a["statistic"], "tags": None, "tags_all": {}, "threshold": a["threshold"],
        "threshold_metric_id": None, "treat_missing_data": "missing", "unit": None}


def topic_arn_of(a):
    return topic_arn(int(a["dimensions"]["Role"].rsplit("-", 1)[1]))


def role_policy_attrs(g, name, policy):
    return {"id": f"{role_name(g)}:{name}", "name": name, "name_prefix": None, "policy": policy,
            "role": role_name(g)}


def build_state(applied, refreshed):
    deps = ["aws_iam_role.svc", "aws_sns_topic.alerts"]
    res = {}  # (type, name) -> instances

    def add(type_, name, inst):
        res.setdefault((type_, name), []).append(inst)

    for g in range(applied):
        add("aws_sns_topic", "alerts", instance(g, {
            "arn": topic_arn(g), "content_based_deduplication": False, "delivery_policy": None,
            "display_name": None, "fifo_topic": False, "id": topic_arn(g), "kms_master_key_id": None,
            "name": topic_name(g), "name_prefix": None, "owner": ACCOUNT, "policy": sns_policy(g), "region": REGION,
            "signature_version": None, "tags": {"Team": f"t{g % 10}"}, "tags_all": {"Team": f"t{g % 10}"},
            "tracing_config": None}))
        add("aws_iam_role", "svc", instance(g, {
            "arn": f"arn:aws:iam::{ACCOUNT}:role/{role_name(g)}", "assume_role_policy": TRUST, "create_date": TIME,
            "description": None, "force_detach_policies": False, "id": role_name(g),
            "inline_policy": [{"name": "logs", "policy": logs_policy(g)},
                              {"name": "publish", "policy": publish_policy(g)}] if refreshed else [],
            "managed_policy_arns": [], "max_session_duration": 3600, "name": role_name(g), "name_prefix": None,
            "path": "/", "permissions_boundary": None, "tags": None, "tags_all": {}, "unique_id": role_id(g)}))
        add("aws_iam_role_policy", "publish", instance(g, role_policy_attrs(g, "publish", publish_policy(g)), deps))
        add("aws_iam_role_policy", f"g{g}_logs", instance(None, role_policy_attrs(g, "logs", logs_policy(g)),
                                                          ["aws_iam_role.svc"]))
        for name, key, a in alarms(g):
            add("aws_cloudwatch_metric_alarm", name, instance(key, alarm_attrs(a), deps))

    def key_order(i):
        k = i.get("index_key")
        return (0, 0, "") if k is None else (1, k, "") if isinstance(k, int) else (2, 0, k)

    resources = [resource(t, n, sorted(v, key=key_order)) for (t, n), v in sorted(res.items())]
    return {"version": 4, "terraform_version": "1.14.0", "serial": 1,
            "lineage": "6d0f5a53-0b6c-4d1b-9a4e-3c3c2b0be7c4", "outputs": {}, "resources": resources,
            "check_results": None}


# ------------------------------------------------------------- world


def build_world(applied):
    alarms_w, roles, topics = {}, {}, {}
    for g in range(applied):
        topics[topic_name(g)] = {"Attributes": {}, "Tags": [{"Key": "Team", "Value": f"t{g % 10}"}],
                                 "TopicArn": topic_arn(g)}
        roles[role_name(g)] = {
            "Arn": f"arn:aws:iam::{ACCOUNT}:role/{role_name(g)}", "AssumeRolePolicyDocument": TRUST,
            "AttachedPolicies": [], "ChangedAt": EPOCH, "CreateDate": TIME,
            "InlinePolicies": {"logs": logs_policy(g), "publish": publish_policy(g)}, "MaxSessionDuration": 3600,
            "Path": "/", "RoleId": role_id(g), "RoleName": role_name(g)}
        for _, _, a in alarms(g):
            w = {"ActionsEnabled": True, "AlarmActions": [topic_arn(g)],
                 "AlarmArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{a['name']}",
                 "AlarmConfigurationUpdatedTimestamp": TIME, "AlarmName": a["name"],
                 "ComparisonOperator": "GreaterThanThreshold",
                 "Dimensions": [{"Name": k, "Value": v} for k, v in sorted(a["dimensions"].items())],
                 "EvaluationPeriods": a["evaluation_periods"], "InsufficientDataActions": [],
                 "MetricName": a["metric"], "Namespace": "AWS/SageMaker", "OKActions": a["ok"] or [],
                 "Period": a["period"], "StateReason": "Unchecked: Initial alarm creation",
                 "StateTransitionedTimestamp": TIME, "StateUpdatedTimestamp": TIME,
                 "StateValue": "INSUFFICIENT_DATA", "Statistic": a["statistic"], "Threshold": a["threshold"],
                 "TreatMissingData": "missing"}
            if a["description"] is not None:
                w["AlarmDescription"] = a["description"]
            alarms_w[a["name"]] = w
    return {"account": ACCOUNT, "autoscaling": {"activities": [], "policies": {}, "targets": {}},
            "cloudwatch": {"alarms": alarms_w, "metrics": {}}, "format": 1, "iam": {"roles": roles},
            "now": EPOCH, "region": REGION, "rng": "035e2aa2e7e47acb",
            "sagemaker": {"endpoint_configs": {}, "endpoints": {}, "models": {}},
            "sim": {"faults": {}, "traffic": {}}, "sns": {"notifications": [], "topics": topics}}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    d, n = args[0], int(args[1])
    groups = max(n // 10, 2)
    os.makedirs(os.path.join(d, ".tfc"), exist_ok=True)
    write_config(d, groups)
    if "--config-only" in sys.argv:
        return
    global drifted
    applied = groups - 1  # the last group is new
    # an apply records roles before their policies exist; the next refresh adds
    # them, and that refreshed state is what a plan usually starts from
    refreshed = True
    if "--exact" in sys.argv:
        applied, drifted, refreshed = groups, 0, False
    with open(os.path.join(d, "terraform.tfstate"), "w") as f:
        f.write(json.dumps(build_state(applied, refreshed), indent=2, separators=(",", ": ")) + "\n")
    with open(os.path.join(d, ".tfc", "sim-world.json"), "w") as f:
        json.dump(build_world(applied), f, sort_keys=True, separators=(",", ":"))


main()
