#!/usr/bin/env bash
# tests/suites/state.sh — the state commands through the tfc binary:
# list/show/rm/mv/pull/push/diff, output, workspaces, locking, malformed
# files. Expected outputs are golden files in tests/state/golden/.
set -u
TFC=${TFC:-$PWD/build/tfc}
ROOT=${TFC_ROOT:-$PWD}
FIX=$ROOT/tests/state
GOLD=$FIX/golden
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ok() { echo "ok - $1"; }
fail() { echo "FAIL - $1: $2"; }

# fresh working directory holding the basic fixture as terraform.tfstate
fresh() {
  rm -rf "$WORK/d"
  mkdir -p "$WORK/d"
  cp "$FIX/basic.tfstate" "$WORK/d/terraform.tfstate"
  cd "$WORK/d" || exit 1
}

# golden NAME EXPECTED_RC CMD... : stdout must equal golden/NAME.out
golden() {
  local name=$1 want_rc=$2
  shift 2
  local out rc
  out=$("$@" 2>"$WORK/stderr")
  rc=$?
  # goldens must not depend on where the repository is checked out
  out=${out//$ROOT\//}
  if [ "$rc" -ne "$want_rc" ]; then
    fail "$name" "exit $rc, want $want_rc: $(head -c 300 "$WORK/stderr")"
  elif [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    printf '%s\n' "$out" >"$GOLD/$name.out"
    ok "$name"
  elif [ "$out" != "$(cat "$GOLD/$name.out")" ]; then
    fail "$name" "output differs from golden/$name.out: $(diff <(printf '%s\n' "$out") "$GOLD/$name.out" | head -10 | tr '\n' '|')"
  else
    ok "$name"
  fi
}

# expect_err NAME EXPECTED_RC TEXT CMD... : stderr must contain TEXT
expect_err() {
  local name=$1 want_rc=$2 text=$3
  shift 3
  "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  local rc=$?
  if [ "$rc" -ne "$want_rc" ]; then
    fail "$name" "exit $rc, want $want_rc"
  elif ! grep -qF -- "$text" "$WORK/stderr"; then
    fail "$name" "stderr lacks '$text': $(head -c 300 "$WORK/stderr")"
  else
    ok "$name"
  fi
}

fresh
golden state_list 0 "$TFC" state list
golden state_list_filter 0 "$TFC" state list aws_subnet.a module.db
golden state_list_id 0 "$TFC" state list -id=subnet-02
golden state_show_resource 0 "$TFC" state show aws_sagemaker_endpoint.this
golden state_show_sensitive 0 "$TFC" state show module.db.aws_db_instance.this
golden state_show_jsonencode 0 "$TFC" state show data.aws_iam_policy_document.assume
golden state_show_tainted 0 "$TFC" state show 'aws_subnet.a[1]'
expect_err state_show_missing 1 "No instance found for the given address!" "$TFC" state show aws_subnet.nope
golden output_human 0 "$TFC" output
golden output_json 0 "$TFC" output -json
golden output_single 0 "$TFC" output ports
golden output_single_json 0 "$TFC" output -json ports
golden output_sensitive_named 0 "$TFC" output secret
golden output_raw 0 "$TFC" output -raw endpoint_name
cp "$FIX/outputs.tfstate" outputs.tfstate
golden output_types 0 "$TFC" output -state=outputs.tfstate
golden output_types_json 0 "$TFC" output -json -state=outputs.tfstate
golden output_raw_number 0 "$TFC" output -raw -state=outputs.tfstate ratio
expect_err output_raw_null 1 "is null" "$TFC" output -raw -state=outputs.tfstate nothing
expect_err output_raw_list 1 "Unsupported value for raw output" "$TFC" output -raw ports
expect_err output_missing 1 'Output "nope" not found' "$TFC" output nope

# pull prints the state byte for byte
fresh
if "$TFC" state pull | cmp -s - "$FIX/basic.tfstate"; then ok state_pull_bytes; else fail state_pull_bytes "differs"; fi

# rm: message, backup, serial, mode
fresh
golden state_rm 0 "$TFC" state rm 'aws_subnet.a[1]' module.db.aws_db_instance.this
if ls terraform.tfstate.*.backup >/dev/null 2>&1 && cmp -s terraform.tfstate.*.backup "$FIX/basic.tfstate"; then
  ok state_rm_backup
else
  fail state_rm_backup "no timestamped backup holding the previous state"
fi
if grep -q '"serial": 8' terraform.tfstate && [ "$(stat -c %a terraform.tfstate)" = 600 ]; then
  ok state_rm_serial_mode
else
  fail state_rm_serial_mode "serial not 8 or mode not 0600"
fi
golden state_rm_dry_run 0 "$TFC" state rm -dry-run aws_subnet.a
"$TFC" state rm -backup=custom.backup 'aws_subnet.a[0]' >/dev/null
if grep -q '"serial": 8' custom.backup; then ok state_rm_backup_flag; else fail state_rm_backup_flag "no -backup file"; fi
expect_err state_rm_nomatch 1 "No matching objects found" "$TFC" state rm aws_nothing.here

# mv: resource, instance, module
fresh
golden state_mv_resource 0 "$TFC" state mv aws_sagemaker_endpoint.this aws_sagemaker_endpoint.main
golden state_mv_instance 0 "$TFC" state mv 'aws_subnet.a[0]' 'aws_subnet.a[5]'
golden state_mv_module 0 "$TFC" state mv module.db 'module.database["x"]'
golden state_list_after_mv 0 "$TFC" state list
golden state_diff_moved 0 "$TFC" state diff "$FIX/basic.tfstate" terraform.tfstate
expect_err state_mv_exists 1 "there is already a resource instance" "$TFC" state mv 'aws_subnet.a[1]' 'aws_subnet.a[5]'
expect_err state_mv_type 1 "resource types don't match" "$TFC" state mv 'aws_subnet.a[1]' 'aws_vpc.a'

# push: lineage and serial rules
fresh
cp "$FIX/changed.tfstate" newer.tfstate
sed 's/"serial": 7/"serial": 3/' "$FIX/basic.tfstate" >older.tfstate
sed 's/0f5c2a9e-1b2c-4d5e-8f90-123456789abc/11111111-2222-4333-8444-555555555555/' "$FIX/basic.tfstate" >other.tfstate
sed 's/"weight": 0.5/"weight": 9/' "$FIX/basic.tfstate" >same_serial.tfstate
expect_err state_push_older 1 "cannot import state with serial 3 over newer state with serial 7" "$TFC" state push older.tfstate
expect_err state_push_lineage 1 "over unrelated state with lineage" "$TFC" state push other.tfstate
expect_err state_push_same_serial 1 "with a different state that has the same serial" "$TFC" state push same_serial.tfstate
if "$TFC" state push newer.tfstate && cmp -s terraform.tfstate "$FIX/changed.tfstate"; then
  ok state_push_newer
else
  fail state_push_newer "push of a newer serial failed or changed the bytes"
fi
if "$TFC" state push -force other.tfstate && grep -q 11111111-2222 terraform.tfstate; then
  ok state_push_force
else
  fail state_push_force "push -force did not replace the state"
fi

# diff, plain, markdown, from git
fresh
golden state_diff 0 "$TFC" state diff "$FIX/basic.tfstate" "$FIX/changed.tfstate"
golden state_diff_markdown 0 "$TFC" state diff -markdown "$FIX/basic.tfstate" "$FIX/changed.tfstate"
golden state_diff_same 0 "$TFC" state diff "$FIX/basic.tfstate" "$FIX/basic.tfstate"
"$TFC" state diff -detailed-exitcode "$FIX/basic.tfstate" "$FIX/changed.tfstate" >/dev/null
if [ $? -eq 2 ]; then ok state_diff_exitcode; else fail state_diff_exitcode "want exit 2"; fi
if command -v git >/dev/null; then
  fresh
  git init -q . && git config user.email t@t && git config user.name t
  git add terraform.tfstate && git commit -qm one
  cp "$FIX/changed.tfstate" terraform.tfstate && git commit -qam two
  out=$("$TFC" state diff git:HEAD~1:terraform.tfstate git:HEAD:terraform.tfstate | tail -n +2)
  want=$("$TFC" state diff "$FIX/basic.tfstate" "$FIX/changed.tfstate" | tail -n +2)
  if [ "$out" = "$want" ]; then ok state_diff_git; else fail state_diff_git "git revisions diff differently from files"; fi
  expect_err state_diff_git_bad 1 "Failed to read state from git" "$TFC" state diff git:nope:terraform.tfstate terraform.tfstate
fi

# malformed state files give diagnostics, never crashes
fresh
printf '{"version": 4, "terraform_version": "1.0.0", "serial": 1,' >terraform.tfstate
expect_err malformed_json 1 "Unsupported state file format" "$TFC" state list
printf '{"version": 9, "terraform_version": "9.9.9"}' >terraform.tfstate
expect_err malformed_version 1 "uses format version 9" "$TFC" state list
rm -f terraform.tfstate
expect_err no_state 1 "No state file was found!" "$TFC" state list

# locking: a holder makes a writer fail; -lock-timeout waits; -lock=false ignores
fresh
if command -v flock >/dev/null; then
  (flock .terraform.tfstate.lock.info sleep 2) &
  holder=$!
  sleep 0.3
  expect_err lock_refused 1 "Error acquiring the state lock" "$TFC" state rm 'aws_subnet.a[0]'
  if "$TFC" state rm -lock=false -dry-run 'aws_subnet.a[0]' >/dev/null 2>&1; then ok lock_false; else fail lock_false "failed"; fi
  if "$TFC" state rm -lock-timeout=10s 'aws_subnet.a[0]' >/dev/null 2>"$WORK/stderr"; then
    ok lock_timeout_waits
  else
    fail lock_timeout_waits "$(head -c 200 "$WORK/stderr")"
  fi
  wait $holder
  if [ ! -e .terraform.tfstate.lock.info ]; then ok lock_info_removed; else fail lock_info_removed "left behind"; fi
fi

# workspaces
rm -rf "$WORK/ws" && mkdir -p "$WORK/ws" && cd "$WORK/ws" || exit 1
golden ws_list_initial 0 "$TFC" workspace list
golden ws_new 0 "$TFC" workspace new dev
expect_err ws_new_exists 1 'Workspace "dev" already exists' "$TFC" workspace new dev
golden ws_show 0 "$TFC" workspace show
golden ws_list 0 "$TFC" workspace list
if [ "$(cat .terraform/environment)" = dev ] && [ -d terraform.tfstate.d/dev ]; then ok ws_files; else fail ws_files "layout"; fi
expect_err ws_select_missing 1 "doesn't exist." "$TFC" workspace select nope
expect_err ws_invalid_name 1 "is not allowed" "$TFC" workspace new 'a/b'
expect_err ws_delete_current 1 "You cannot delete the currently active workspace" "$TFC" workspace delete dev
golden ws_select_default 0 "$TFC" workspace select default
cp "$FIX/basic.tfstate" terraform.tfstate.d/dev/terraform.tfstate
"$TFC" workspace select dev >/dev/null
golden ws_state_list_in_dev 0 "$TFC" state list module.db
"$TFC" workspace select default >/dev/null
golden ws_override 0 env TF_WORKSPACE=dev "$TFC" state list module.db
expect_err ws_delete_nonempty 1 "Workspace is not empty" "$TFC" workspace delete dev
golden ws_delete_force 0 "$TFC" workspace delete -force dev
golden ws_select_or_create 0 "$TFC" workspace select -or-create qa
expect_err ws_select_overridden 1 "overridden using the TF_WORKSPACE" env TF_WORKSPACE=x "$TFC" workspace select default
exit 0
