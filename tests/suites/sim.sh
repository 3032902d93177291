#!/usr/bin/env bash
# tests/suites/sim.sh — scenario tests of the simulated AWS through `tfc sim`:
# a canary update that succeeds (with its status timeline), one rolled back
# when a faulty image raises 5xx errors, and traffic that scales a variant out
# and back in. Objects are created with the `tfc sim call` subcommand, the way
# the provider would call the operations.
set -u
TFC=${TFC:-$PWD/build/tfc}
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT; [ -n "${KEEP:-}" ] && echo "work dir $work" >&2
cd "$work" || exit 1
export TFC_SIM_SEED=42
unset TFC_SIM_KNOBS

ok() { echo "ok - $1"; }
fail() { echo "FAIL - $1: $2"; }
# call SERVICE OP JSON: runs one operation; prints the response on stdout
call() { "$TFC" sim call "$@"; }
# field FILTER: reads JSON on stdin, prints one value (python3 is a test dependency)
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d'+sys.argv[1]))" "$1"; }
# expr EXPR: like field, but EXPR is a whole Python expression over d
expr() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

ECR=123456789012.dkr.ecr.us-east-1.amazonaws.com
TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
S3='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::models/*"},{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*"}]}'
jstr() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

setup() {
  call iam CreateRole "{\"RoleName\":\"exec\",\"AssumeRolePolicyDocument\":$(jstr "$TRUST")}" >/dev/null &&
  call iam PutRolePolicy "{\"RoleName\":\"exec\",\"PolicyName\":\"s3\",\"PolicyDocument\":$(jstr "$S3")}" >/dev/null &&
  call sns CreateTopic '{"Name":"ops"}' >/dev/null &&
  for v in v1 v2 v3; do
    call sagemaker CreateModel "{\"ModelName\":\"m-$v\",\"ExecutionRoleArn\":\"arn:aws:iam::123456789012:role/exec\",\"PrimaryContainer\":{\"Image\":\"$ECR/app:$v\",\"ModelDataUrl\":\"s3://models/$v/model.tar.gz\"}}" >/dev/null || return 1
    call sagemaker CreateEndpointConfig "{\"EndpointConfigName\":\"c-$v\",\"ProductionVariants\":[{\"VariantName\":\"AllTraffic\",\"ModelName\":\"m-$v\",\"InstanceType\":\"ml.m5.large\",\"InitialInstanceCount\":4}]}" >/dev/null || return 1
  done &&
  call sagemaker CreateEndpoint '{"EndpointName":"ep","EndpointConfigName":"c-v1"}' >/dev/null &&
  call monitoring PutMetricAlarm '{"AlarmName":"ep-5xx","Namespace":"AWS/SageMaker","MetricName":"Invocation5XXErrors","Dimensions":[{"Name":"EndpointName","Value":"ep"},{"Name":"VariantName","Value":"AllTraffic"}],"Statistic":"Average","Period":60,"EvaluationPeriods":2,"Threshold":0.05,"ComparisonOperator":"GreaterThanThreshold","TreatMissingData":"notBreaching","AlarmActions":["arn:aws:sns:us-east-1:123456789012:ops"]}' >/dev/null
}

CANARY='"DeploymentConfig":{"BlueGreenUpdatePolicy":{"TrafficRoutingConfiguration":{"Type":"CANARY","CanarySize":{"Type":"INSTANCE_COUNT","Value":1},"WaitIntervalInSeconds":300},"TerminationWaitInSeconds":300,"MaximumExecutionTimeoutInSeconds":3600},"AutoRollbackConfiguration":{"Alarms":[{"AlarmName":"ep-5xx"}]}}'

if setup; then ok sim_scenario_setup; else fail sim_scenario_setup "creating the objects failed"; exit 0; fi

# ---- creation takes simulated minutes
st=$(call sagemaker DescribeEndpoint '{"EndpointName":"ep"}' | field '["EndpointStatus"]')
"$TFC" sim advance 10m >/dev/null
st2=$(call sagemaker DescribeEndpoint '{"EndpointName":"ep"}' | field '["EndpointStatus"]')
if [ "$st" = Creating ] && [ "$st2" = InService ]; then ok sim_create_creating_then_inservice
else fail sim_create_creating_then_inservice "got $st then $st2"; fi

# ---- a canary update that succeeds
call sagemaker UpdateEndpoint "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c-v2\",$CANARY}" >/dev/null
mid=$(call sagemaker DescribeEndpoint '{"EndpointName":"ep"}')
midst=$(echo "$mid" | field '["EndpointStatus"]')
midcfg=$(echo "$mid" | field '["EndpointConfigName"]')
pend=$(echo "$mid" | field '["PendingDeploymentSummary"]["EndpointConfigName"]')
if [ "$midst" = Updating ] && [ "$midcfg" = c-v1 ] && [ "$pend" = c-v2 ]; then ok sim_canary_updating_shows_pending
else fail sim_canary_updating_shows_pending "status=$midst config=$midcfg pending=$pend"; fi
"$TFC" sim traffic ep --rps 5 --for 30m >/dev/null
d=$(call sagemaker DescribeEndpoint '{"EndpointName":"ep"}')
cfg=$(echo "$d" | field '["EndpointConfigName"]'); st=$(echo "$d" | field '["EndpointStatus"]')
fr=$(echo "$d" | field '.get("FailureReason","")')
img=$(echo "$d" | field '["ProductionVariants"][0]["DeployedImages"][0]["SpecifiedImage"]')
if [ "$cfg" = c-v2 ] && [ "$st" = InService ] && [ -z "$fr" ] && [ "$img" = "$ECR/app:v2" ]; then ok sim_canary_update_succeeds
else fail sim_canary_update_succeeds "config=$cfg status=$st failure=$fr image=$img"; fi
timeline=$("$TFC" sim status | sed -n '/^  ep /,/^$/p' | grep -oE '(Updating|InService) +(UpdateEndpoint|provision|canary|final bake|terminate old fleet|InService on c-v2)' | sed 's/  */ /g' | tr '\n' '|')
want='Updating UpdateEndpoint|Updating provision|Updating canary|Updating final bake|Updating terminate old fleet|InService InService on c-v2|'
if [ "$timeline" = "$want" ]; then ok sim_canary_status_timeline
else fail sim_canary_status_timeline "timeline $timeline"; fi
alarm=$(call monitoring DescribeAlarms '{"AlarmNames":["ep-5xx"]}' | field '["MetricAlarms"][0]["StateValue"]')
if [ "$alarm" = OK ]; then ok sim_canary_alarm_ok; else fail sim_canary_alarm_ok "alarm is $alarm"; fi

# ---- a canary update rolled back when the new image raises 5xx errors
"$TFC" sim fault image="$ECR/app:v3" 5xx-rate=0.5 >/dev/null
call sagemaker UpdateEndpoint "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c-v3\",$CANARY}" >/dev/null
"$TFC" sim traffic ep --rps 5 --for 30m >/dev/null
d=$(call sagemaker DescribeEndpoint '{"EndpointName":"ep"}')
cfg=$(echo "$d" | field '["EndpointConfigName"]'); st=$(echo "$d" | field '["EndpointStatus"]')
fr=$(echo "$d" | field '.get("FailureReason","")')
img=$(echo "$d" | field '["ProductionVariants"][0]["DeployedImages"][0]["SpecifiedImage"]')
case "$fr" in *"ep-5xx"*) frok=1 ;; *) frok=0 ;; esac
if [ "$cfg" = c-v2 ] && [ "$st" = InService ] && [ $frok = 1 ] && [ "$img" = "$ECR/app:v2" ]; then ok sim_faulty_canary_rolls_back
else fail sim_faulty_canary_rolls_back "config=$cfg status=$st image=$img failure=$fr"; fi
if "$TFC" sim status | grep -q 'Rolling back to c-v2'; then ok sim_rollback_event_recorded
else fail sim_rollback_event_recorded "no rollback event in status"; fi
n=$("$TFC" sim status -json | field '["sns"]["notifications"].__len__()')
if [ "$n" -ge 1 ]; then ok sim_alarm_notified_sns; else fail sim_alarm_notified_sns "$n notifications"; fi

# ---- background traffic flows while a waiter advances the clock (as during an apply)
"$TFC" sim advance 30m >/dev/null
call sagemaker UpdateEndpoint "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c-v3\",$CANARY}" >/dev/null
"$TFC" sim traffic ep --rps 5 --for 40m --background >/dev/null
w=$(call sim WaitEndpoint '{"EndpointName":"ep"}')
d=$(call sagemaker DescribeEndpoint '{"EndpointName":"ep"}')
cfg=$(echo "$d" | field '["EndpointConfigName"]'); st=$(echo "$w" | field '["EndpointStatus"]')
fr=$(echo "$d" | field '.get("FailureReason","")')
case "$fr" in *"ep-5xx"*) frok=1 ;; *) frok=0 ;; esac
if [ "$st" = InService ] && [ "$cfg" = c-v2 ] && [ $frok = 1 ]; then ok sim_background_traffic_rolls_back_during_wait
else fail sim_background_traffic_rolls_back_during_wait "status=$st config=$cfg failure=$fr"; fi
"$TFC" sim traffic ep --rps 0 --for 0s --background >/dev/null

# ---- traffic scales a variant out and back in
call sagemaker CreateEndpointConfig '{"EndpointConfigName":"c-small","ProductionVariants":[{"VariantName":"AllTraffic","ModelName":"m-v1","InstanceType":"ml.m5.large","InitialInstanceCount":1}]}' >/dev/null
call sagemaker CreateEndpoint '{"EndpointName":"scaled","EndpointConfigName":"c-small"}' >/dev/null
"$TFC" sim advance 10m >/dev/null
call application-autoscaling RegisterScalableTarget '{"ServiceNamespace":"sagemaker","ResourceId":"endpoint/scaled/variant/AllTraffic","ScalableDimension":"sagemaker:variant:DesiredInstanceCount","MinCapacity":1,"MaxCapacity":4}' >/dev/null
pol=$(call application-autoscaling PutScalingPolicy '{"PolicyName":"ipi","ServiceNamespace":"sagemaker","ResourceId":"endpoint/scaled/variant/AllTraffic","ScalableDimension":"sagemaker:variant:DesiredInstanceCount","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":120,"PredefinedMetricSpecification":{"PredefinedMetricType":"SageMakerVariantInvocationsPerInstance"},"ScaleOutCooldown":300,"ScaleInCooldown":300}}')
na=$(echo "$pol" | field '["Alarms"].__len__()')
if [ "$na" = 2 ]; then ok sim_target_tracking_creates_alarms; else fail sim_target_tracking_creates_alarms "$na alarms"; fi
"$TFC" sim traffic scaled --rps 5 --for 20m >/dev/null
out=$(call sagemaker DescribeEndpoint '{"EndpointName":"scaled"}' | field '["ProductionVariants"][0]["CurrentInstanceCount"]')
if [ "$out" -ge 3 ]; then ok sim_traffic_scales_out; else fail sim_traffic_scales_out "instances $out"; fi
"$TFC" sim advance 40m >/dev/null
in=$(call sagemaker DescribeEndpoint '{"EndpointName":"scaled"}' | field '["ProductionVariants"][0]["CurrentInstanceCount"]')
if [ "$in" -lt "$out" ]; then ok sim_idle_scales_in; else fail sim_idle_scales_in "instances $out then $in"; fi
acts=$(call application-autoscaling DescribeScalingActivities '{"ServiceNamespace":"sagemaker","ResourceId":"endpoint/scaled/variant/AllTraffic"}')
codes=$(echo "$acts" | expr '[a["StatusCode"] for a in d["ScalingActivities"]]')
causes=$(echo "$acts" | expr '[a["Cause"] for a in d["ScalingActivities"]]')
case "$causes" in *AlarmHigh*AlarmLow*|*AlarmLow*AlarmHigh*) cok=1 ;; *) cok=0 ;; esac
case "$codes" in *InProgress*|*Failed*) cok=0 ;; esac
if [ $cok = 1 ]; then ok sim_scaling_activities_recorded; else fail sim_scaling_activities_recorded "codes=$codes causes=$causes"; fi

# ---- determinism: the same seed gives the same world
mkdir again && (cd again && setup && "$TFC" sim advance 10m >/dev/null)
a=$(expr 'json.dumps([d["iam"], d["sagemaker"]["models"]], sort_keys=True)' < .tfc/sim-world.json)
b=$(expr 'json.dumps([d["iam"], d["sagemaker"]["models"]], sort_keys=True)' < again/.tfc/sim-world.json)
if [ "$a" = "$b" ]; then ok sim_seeded_ids_are_stable; else fail sim_seeded_ids_are_stable "role ids differ"; fi

# ---- the CLI rejects bad input with a message, not a crash
if ! "$TFC" sim traffic ep --rps x --for 1m 2>/dev/null && ! "$TFC" sim advance 10y 2>/dev/null &&
   ! "$TFC" sim nosuch 2>/dev/null && ! "$TFC" sim call sagemaker DescribeEndpoint '{"EndpointName":"nope"}' 2>/dev/null; then
  ok sim_cli_bad_input
else fail sim_cli_bad_input "a bad command succeeded"; fi
[ -n "${KEEP:-}" ] && cp -r .tfc kept-tfc
echo '{not json' > .tfc/sim-world.json
if ! "$TFC" sim status 2>err.txt && grep -q 'Cannot read the simulated AWS world' err.txt; then ok sim_damaged_world_diagnosed
else fail sim_damaged_world_diagnosed "$(cat err.txt)"; fi
"$TFC" sim reset >/dev/null
if "$TFC" sim status | grep -q 'Endpoints (0)'; then ok sim_reset_empties; else fail sim_reset_empties "world not empty"; fi
