#!/usr/bin/env bash
# tests/suites/lifecycle.sh — lifecycle.replace_triggered_by
# (tests/lifecycle/replace-triggered-by): a reference to a resource fires on
# an update or replacement of any of its instances; one with an index and an
# attribute fires only when that instance's attribute changes.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - lifecycle/$1"; }
fail() { echo "FAIL - lifecycle/$1: $2"; }

cp -r "$ROOT/tests/lifecycle/replace-triggered-by" "$WORK/r"
cd "$WORK/r" || exit 1
"$TFC" apply -auto-approve -no-color >/dev/null 2>&1

out=$("$TFC" plan -no-color -detailed-exitcode 2>&1); rc=$?
[ $rc = 0 ] && ok no-trigger-without-change || fail no-trigger-without-change "rc=$rc $(grep '^  #' <<<"$out")"

out=$("$TFC" plan -no-color -var tag=b 2>&1); rc=$?
heads=$(grep '^  #' <<<"$out" | tr '\n' '|')
want='  # aws_sns_topic.each[1] will be replaced due to changes in replace_triggered_by|  # aws_sns_topic.t[1] will be updated in-place|  # aws_sns_topic.whole will be replaced due to changes in replace_triggered_by|'
if [ $rc = 0 ] && [ "$heads" = "$want" ] && grep -q '^Plan: 2 to add, 1 to change, 2 to destroy.$' <<<"$out"; then ok plan-triggers
else fail plan-triggers "rc=$rc $heads"; fi

"$TFC" plan -no-color -var tag=b -out=t.tfplan >/dev/null 2>&1
r=$("$TFC" show -json t.tfplan | python3 -c 'import json,sys; print(sorted(c["address"] for c in json.load(sys.stdin)["resource_changes"] if c.get("action_reason")=="replace_by_triggers"))')
[ "$r" = "['aws_sns_topic.each[1]', 'aws_sns_topic.whole']" ] && ok show-json-reason || fail show-json-reason "$r"

out=$("$TFC" apply -no-color t.tfplan 2>&1); rc=$?
out2=$("$TFC" plan -no-color -detailed-exitcode -var tag=b 2>&1); rc2=$?
if [ $rc = 0 ] && grep -q 'Apply complete! Resources: 2 added, 1 changed, 2 destroyed.' <<<"$out" && [ $rc2 = 0 ]; then
  ok applies-and-converges
else fail applies-and-converges "rc=$rc/$rc2 $(tail -2 <<<"$out" | tr '\n' '|') $(grep '^  #' <<<"$out2")"; fi
