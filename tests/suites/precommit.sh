#!/usr/bin/env bash
# tests/suites/precommit.sh — the pre-commit integration: the hooks declared
# in .pre-commit-hooks.yaml (through scripts/tfc-hooks.sh), the plain git
# hook scripts/pre-commit, and the git diff driver scripts/git-diff-tfstate.
# Run by tests/run.sh (TFC = tfc binary, cwd = repo root); prints
# "ok - NAME" / "FAIL - NAME: why". Needs git; without it the git cases
# are skipped (reported as ok with a note).
set -u

cd "${TFC_ROOT:-.}" || exit 1
ROOT=$PWD
B=${B:-build}
TFC=${TFC:-$PWD/$B/tfc}
HOOKS=$ROOT/scripts/tfc-hooks.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tfc-precommit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export TFC

ok() { echo "ok - $1"; }
fail() { echo "FAIL - $1: $2"; }
check() {
  local name=$1; shift
  if "$@"; then ok "$name"; else fail "$name" "${WHY:-condition failed}"; fi
  WHY=
}

# --- the hook manifest -----------------------------------------------------------
for id in tfc-fmt tfc-validate tfc-validate-tfvars; do
  entry=$(awk -v id="$id" '$0 ~ "^- id: "id"$" {f=1; next} f && /^- id:/ {f=0} f && /^  entry:/ {print $2; exit}' .pre-commit-hooks.yaml)
  if [ -n "$entry" ] && [ -x "$entry" ]; then ok "precommit/manifest/$id"; else fail "precommit/manifest/$id" "no executable entry (\"$entry\")"; fi
done

# A module with an environment folder, a second valid module, and files to
# break them with.
setup() {
  rm -rf "$tmp/r" && mkdir -p "$tmp/r/app/environments" "$tmp/r/net"
  cd "$tmp/r" || exit 1
  printf 'variable "n" {\n  type = number\n}\n\noutput "double" {\n  value = var.n * 2\n}\n' >app/main.tf
  printf 'n = 2\n' >app/environments/dev.tfvars
  printf 'n = 3\n' >app/environments/prod.tfvars
  printf 'output "x" {\n  value = 1\n}\n' >net/main.tf
}

# --- scripts/tfc-hooks.sh (what the pre-commit framework runs) ---------------------
setup
printf 'output  "y"  {\nvalue=2\n}\n' >net/extra.tf
"$HOOKS" fmt net/extra.tf app/main.tf >"$tmp/out" 2>&1
rc=$?
check precommit/hook-fmt-rewrites eval '[ "$rc" -eq 0 ] && [ "$(cat net/extra.tf)" = "$(printf "output \"y\" {\n  value = 2\n}")" ] && grep -qx "net/extra.tf" "$tmp/out"'
"$HOOKS" validate app/main.tf net/main.tf >"$tmp/out" 2>&1
check precommit/hook-validate-ok eval '[ $? -eq 0 ]'
printf 'output "z" {\n  value = var.nope\n}\n' >net/broken.tf
"$HOOKS" validate app/main.tf net/broken.tf >"$tmp/out" 2>&1
rc=$?
check precommit/hook-validate-fails eval '[ "$rc" -ne 0 ] && grep -q "undeclared input variable" "$tmp/out" && grep -q "failed in net" "$tmp/out"'
"$HOOKS" validate-tfvars app/main.tf >"$tmp/out" 2>&1
check precommit/hook-tfvars-ok eval '[ $? -eq 0 ]'
printf 'n = "three"\n' >app/environments/prod.tfvars
"$HOOKS" validate-tfvars app/environments/dev.tfvars >"$tmp/out" 2>&1
rc=$?
check precommit/hook-tfvars-fails eval '[ "$rc" -ne 0 ] && grep -q "prod.tfvars" "$tmp/out" && grep -q "number is required" "$tmp/out"'
TFC=/nonexistent/tfc "$HOOKS" fmt x.tf >"$tmp/out" 2>&1
rc=$?
check precommit/hook-no-tfc eval '[ "$rc" -eq 2 ] && grep -q "not found" "$tmp/out"'

if ! command -v git >/dev/null 2>&1; then
  ok "precommit/git: skipped, git not installed"
  exit 0
fi
g() { git -c user.name=t -c user.email=t@example.com -c commit.gpgsign=false "$@"; }

# --- scripts/pre-commit (plain git hook) -----------------------------------------
setup
g init -q . && cp "$ROOT/scripts/pre-commit" .git/hooks/pre-commit
g add -A && g commit -q -m init >"$tmp/out" 2>&1
check precommit/git-hook-clean-commit eval '[ $? -eq 0 ]'

printf 'output "y" {\nvalue = 2\n}\n' >net/extra.tf
g add net/extra.tf
g commit -q -m extra >"$tmp/out" 2>&1
rc=$?
check precommit/git-hook-refuses-unformatted eval '[ "$rc" -ne 0 ] && grep -q "^+++ new/net/extra.tf" "$tmp/out" && grep -q "run \"tfc fmt\"" "$tmp/out"'

"$TFC" fmt net/extra.tf >/dev/null && g add net/extra.tf
printf '\n\n' >>net/extra.tf # unstaged breakage is not what is committed
g commit -q -m extra >"$tmp/out" 2>&1
check precommit/git-hook-judges-index eval '[ $? -eq 0 ]'
git checkout -q -- net/extra.tf

printf 'n = "x"\n' >app/environments/prod.tfvars
g add app/environments/prod.tfvars
g commit -q -m bad-env >"$tmp/out" 2>&1
rc=$?
check precommit/git-hook-refuses-bad-tfvars eval '[ "$rc" -ne 0 ] && grep -q "prod.tfvars" "$tmp/out"'
TFC_HOOK_SKIP=tfvars g commit -q -m bad-env >"$tmp/out" 2>&1
check precommit/git-hook-skip eval '[ $? -eq 0 ]'

printf 'output "z" {\n  value = var.nope\n}\n' >net/broken.tf
g add net/broken.tf
g commit -q -m broken >"$tmp/out" 2>&1
rc=$?
check precommit/git-hook-refuses-invalid eval '[ "$rc" -ne 0 ] && grep -q "undeclared input variable" "$tmp/out"'
g rm -q --cached net/broken.tf && rm -f net/broken.tf

printf 'output "z" {\n  value = \n}\n' >net/syntax.tf
g add net/syntax.tf
g commit -q -m syntax >"$tmp/out" 2>&1
rc=$?
check precommit/git-hook-refuses-syntax-error eval '[ "$rc" -ne 0 ] && grep -q "^Error: " "$tmp/out"'
g rm -q --cached net/syntax.tf && rm -f net/syntax.tf

# --- scripts/git-diff-tfstate (git diff driver for *.tfstate) --------------------
rm -rf "$tmp/st" && mkdir -p "$tmp/st" && cd "$tmp/st" || exit 1
g init -q .
g config diff.tfstate.command "$ROOT/scripts/git-diff-tfstate"
echo '*.tfstate diff=tfstate' >.gitattributes
cp "$ROOT/tests/state/basic.tfstate" terraform.tfstate
g add -A && g commit -q -m v1
cp "$ROOT/tests/state/changed.tfstate" terraform.tfstate
git diff >"$tmp/out" 2>&1
rc=$?
check precommit/git-diff-tfstate eval '[ "$rc" -eq 0 ] && grep -q "^diff --tfstate a/terraform.tfstate b/terraform.tfstate" "$tmp/out" && grep -q "# aws_sagemaker_endpoint.this was updated in-place" "$tmp/out" && ! grep -q "\"serial\"" "$tmp/out"'
g add -A && g commit -q -m v2
git log -p -1 --ext-diff >"$tmp/out" 2>&1
check precommit/git-log-tfstate eval 'grep -q "was replaced" "$tmp/out"'
git diff --no-ext-diff HEAD~1 >"$tmp/out" 2>&1
check precommit/git-diff-plain-still-json eval 'grep -q "\"serial\"" "$tmp/out"'

cd "$ROOT" || exit 1
exit 0
