#!/usr/bin/env bash
# tests/suites/validate.sh — `tfc validate` on fixture directories and on the
# samples. Each tests/validate/NAME/ holds a configuration, optional `args`
# (one argument per line) and `expect`: "rc N", "contains TEXT" (a line of
# the combined output contains TEXT), "equals TEXT" (some line is exactly
# TEXT).
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - $1"; }
fail() { echo "FAIL - $1: $2"; }

# check NAME DIR EXPECTFILE ARGS... (env from the caller)
check() {
  local name=$1 dir=$2 exp=$3
  shift 3
  local out rc
  out=$(cd "$dir" && "$TFC" validate -no-color "$@" 2>&1)
  rc=$?
  local bad=""
  while IFS= read -r line; do
    case "$line" in
      "rc "*) [ "$rc" = "${line#rc }" ] || bad="exit $rc, want ${line#rc }" ;;
      "contains "*) grep -qF -- "${line#contains }" <<<"$out" || bad="missing: ${line#contains }" ;;
      "equals "*) grep -qxF -- "${line#equals }" <<<"$out" || bad="no line equal to: ${line#equals }" ;;
      "absent "*) grep -qF -- "${line#absent }" <<<"$out" && bad="unexpected: ${line#absent }" ;;
    esac
    [ -n "$bad" ] && break
  done <"$exp"
  if [ -n "$bad" ]; then fail "$name" "$bad | $(head -c 400 <<<"$out" | tr '\n' '|')"; else ok "$name"; fi
}

for d in "$ROOT"/tests/validate/*/; do
  name=$(basename "$d")
  args=()
  if [ -f "$d/args" ]; then mapfile -t args <"$d/args"; fi
  check "validate/$name" "$d" "$d/expect" "${args[@]}"
done

# Variable precedence, lowest to highest: default < TF_VAR_ < terraform.tfvars
# < *.auto.tfvars (lexical) < -var-file / -var in command-line order.
P="$ROOT/tests/validate/precedence"
printf 'rc 1\ncontains who is auto-b.\n' >"$WORK/e1"
TF_VAR_who=env check "precedence/auto-beats-env-and-tfvars" "$P" "$WORK/e1"
printf 'rc 1\ncontains who is varfile.\n' >"$WORK/e2"
check "precedence/var-file-beats-auto" "$P" "$WORK/e2" -var-file=extra.tfvars
printf 'rc 1\ncontains who is cli.\n' >"$WORK/e3"
check "precedence/last-var-wins" "$P" "$WORK/e3" -var-file=extra.tfvars -var who=cli
printf 'rc 1\ncontains who is varfile.\n' >"$WORK/e4"
check "precedence/command-line-order" "$P" "$WORK/e4" -var who=cli -var-file=extra.tfvars
cp -r "$P" "$WORK/p2" && rm "$WORK/p2"/*.auto.tfvars "$WORK/p2/terraform.tfvars"
printf 'rc 1\ncontains who is env.\n' >"$WORK/e5"
TF_VAR_who=env check "precedence/env-when-no-files" "$WORK/p2" "$WORK/e5"
printf 'rc 1\ncontains Error: Value for undeclared variable\ncontains A variable named "nope" was assigned on the command line\n' >"$WORK/e6"
check "precedence/undeclared-on-command-line" "$P" "$WORK/e6" -var nope=1
echo 'nope = 1' >"$WORK/p2/terraform.tfvars"
printf 'rc 1\ncontains Warning: Value for undeclared variable\ncontains The root module does not declare a variable named "nope" but a value was\ncontains found in file "terraform.tfvars".\n' >"$WORK/e7"
TF_VAR_who=x check "precedence/undeclared-in-file-warns" "$WORK/p2" "$WORK/e7"

# The article's repository: Terraform itself stops on its dependency cycle
# (the endpoint's rollback alarm names the 5xx alarm, whose dimensions name
# the endpoint), and tfc says so, with the deployment warnings it earns.
S="$ROOT/samples/sagemaker-endpoint"
cat >"$WORK/article" <<'X'
rc 1
contains Error: Cycle: module.inference.aws_sagemaker_endpoint.this, module.inference.aws_cloudwatch_metric_alarm.endpoint_errors
contains module.inference.aws_sagemaker_endpoint.this refers to module.inference.aws_cloudwatch_metric_alarm.endpoint_errors (inference/endpoint.tf:20)
contains module.inference.aws_cloudwatch_metric_alarm.endpoint_errors refers to module.inference.aws_sagemaker_endpoint.this (inference/monitoring.tf:14)
contains Warning: Replacement will collide with the existing name
contains on inference/model.tf line 3, in resource "aws_sagemaker_model" "this":
contains on inference/endpoint_config.tf line 3, in resource "aws_sagemaker_endpoint_configuration" "this":
contains Warning: Endpoint will not follow a replaced endpoint configuration
X
TF_WORKSPACE=prod check "sample/article-prod" "$S" "$WORK/article" -var-file=environments/prod.tfvars
cp "$WORK/article" "$WORK/article-dev"
printf 'contains Warning: Autoscaling target on a burstable instance type\ncontains Warning: Canary larger than half of the fleet\n' >>"$WORK/article-dev"
TF_WORKSPACE=dev check "sample/article-dev" "$S" "$WORK/article-dev" -var-file=environments/dev.tfvars

# The versioned sample: valid; dev earns the two AWS warnings, prod none.
V="$ROOT/samples/sagemaker-endpoint-versioned"
printf 'rc 0\nequals Success! The configuration is valid.\nabsent Warning\n' >"$WORK/vprod"
TF_WORKSPACE=prod check "sample/versioned-prod" "$V" "$WORK/vprod" -var-file=environments/prod.tfvars
cat >"$WORK/vdev" <<'X'
rc 0
contains Warning: Autoscaling target on a burstable instance type
contains on inference/autoscaling.tf line 5, in resource "aws_appautoscaling_target" "endpoint":
contains Warning: Canary larger than half of the fleet
contains on inference/endpoint.tf line 11, in resource "aws_sagemaker_endpoint" "this":
contains Success! The configuration is valid, but there were some validation warnings
absent Replacement will collide
X
TF_WORKSPACE=dev check "sample/versioned-dev" "$V" "$WORK/vdev" -var-file=environments/dev.tfvars
printf 'rc 0\nequals Success! The configuration is valid.\n' >"$WORK/vnovars"
check "sample/versioned-no-vars" "$V" "$WORK/vnovars"
