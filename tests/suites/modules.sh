#!/usr/bin/env bash
# tests/suites/modules.sh — module calls with count and for_each
# (tests/modules/expand): one instance per key, with its own state address
# and scope, nested modules inside instances, module.NAME as a tuple or
# object of instances, keys that disappear, and the errors.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - modules/$1"; }
fail() { echo "FAIL - modules/$1: $2"; }
has_all() { # OUTPUT LINE... : every LINE is a line of OUTPUT
  local out=$1; shift
  for w in "$@"; do grep -qxF -- "$w" <<<"$out" || { echo "missing: $w"; return 1; }; done
}

cp -r "$ROOT/tests/modules/expand" "$WORK/m"
cd "$WORK/m" || exit 1

out=$("$TFC" validate -no-color 2>&1); rc=$?
[ $rc = 0 ] && ok validate || fail validate "rc=$rc $out"

out=$("$TFC" plan -no-color 2>&1); rc=$?
why=$(has_all "$out" \
  '  # module.opt[0].aws_sns_topic.this will be created' \
  '  # module.opt[0].module.inner.aws_cloudwatch_metric_alarm.this will be created' \
  '  # module.svc["a"].aws_sns_topic.this will be created' \
  '  # module.svc["b"].module.inner.aws_cloudwatch_metric_alarm.this will be created' \
  '      + name                        = "svc-b"' \
  '      + alarm_name                            = "opt-0-alarm"' \
  'Plan: 6 to add, 0 to change, 0 to destroy.')
[ $rc = 0 ] && [ -z "$why" ] && ok plan-instances || fail plan-instances "rc=$rc $why"

out=$("$TFC" apply -auto-approve -no-color 2>&1); rc=$?
why=$(has_all "$out" 'Apply complete! Resources: 6 added, 0 changed, 0 destroyed.' \
  'a_arn = "arn:aws:sns:us-east-1:123456789012:svc-a"' '  "svc-b-alarm",' '  "opt-0-alarm",')
[ $rc = 0 ] && [ -z "$why" ] && ok apply-outputs || fail apply-outputs "rc=$rc $why $(tail -5 <<<"$out")"

mods=$(python3 -c 'import json; print(" ".join(sorted({r["module"] for r in json.load(open("terraform.tfstate"))["resources"]})))')
want='module.opt[0] module.opt[0].module.inner module.svc["a"] module.svc["a"].module.inner module.svc["b"] module.svc["b"].module.inner'
[ "$mods" = "$want" ] && ok state-module-addresses || fail state-module-addresses "$mods"

out=$("$TFC" plan -no-color -detailed-exitcode 2>&1); rc=$?
[ $rc = 0 ] && ok converges || fail converges "rc=$rc $(grep '^  #' <<<"$out" | head -3)"

# the console reads each instance from the state
out=$(printf 'module.svc["b"].arn\nmodule.opt[0].name\n' | "$TFC" console 2>&1)
[ "$out" = "$(printf '"arn:aws:sns:us-east-1:123456789012:svc-b"\n"opt-0-alarm"')" ] && ok console-instances \
  || fail console-instances "$out"

# a key that goes away takes its instance (and the modules inside it) along
out=$("$TFC" plan -no-color -var 'services=["a","c"]' -var enabled=false 2>&1); rc=$?
why=$(has_all "$out" \
  '  # module.svc["b"].aws_sns_topic.this will be destroyed' \
  '  # (because module.svc["b"] is not in configuration)' \
  '  # (because module.opt[0].module.inner is not in configuration)' \
  '  # module.svc["c"].aws_sns_topic.this will be created' \
  'Plan: 2 to add, 0 to change, 4 to destroy.')
[ $rc = 0 ] && [ -z "$why" ] && ok keys-removed || fail keys-removed "rc=$rc $why"

"$TFC" plan -no-color -var enabled=false -out=x.tfplan >/dev/null 2>&1
out=$("$TFC" show -json x.tfplan | python3 -c '
import json,sys
d=json.load(sys.stdin)
print(sorted((c["address"], c.get("action_reason"), c["module_address"]) for c in d["resource_changes"] if c["change"]["actions"]==["delete"]))' 2>&1)
want="[('module.opt[0].aws_sns_topic.this', 'delete_because_no_module', 'module.opt[0]'), ('module.opt[0].module.inner.aws_cloudwatch_metric_alarm.this', 'delete_because_no_module', 'module.opt[0].module.inner')]"
[ "$out" = "$want" ] && ok show-json-module-address || fail show-json-module-address "$out"

out=$("$TFC" destroy -auto-approve -no-color 2>&1); rc=$?
if [ $rc = 0 ] && grep -q 'Destroy complete! Resources: 6 destroyed.' <<<"$out" && [ -z "$("$TFC" state list)" ]; then ok destroy
else fail destroy "rc=$rc $(tail -3 <<<"$out")"; fi

# unsuitable count / for_each on a module call are errors on the argument
sed -i 's/count  = var.enabled ? 1 : 0/count  = -1/' main.tf
out=$("$TFC" plan -no-color 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^Error: Invalid count argument' <<<"$out" && grep -q 'on main.tf line 23, in module "opt":' <<<"$out"; then
  ok invalid-count
else fail invalid-count "rc=$rc $(head -8 <<<"$out")"; fi
sed -i 's/count  = -1/count  = 1/; s/for_each = var.services/for_each = ["a"]/' main.tf
out=$("$TFC" plan -no-color 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^Error: Invalid for_each argument' <<<"$out"; then ok invalid-for-each
else fail invalid-for-each "rc=$rc $(head -8 <<<"$out")"; fi
