#!/usr/bin/env bash
# tests/suites/fmt.sh — `tfc fmt`: layout against the oracle's goldens, the
# Terraform rewrites, idempotence, and the command's flags, output and exit
# codes. Run by tests/run.sh (TFC = the tfc binary, B = build dir, cwd = repo
# root); prints "ok - NAME" / "FAIL - NAME: why". Needs no oracle: the
# expected outputs are committed (see tests/fmt/README.md).
set -u

cd "${TFC_ROOT:-.}" || exit 1
B=${B:-build}
TFC=${TFC:-$PWD/$B/tfc}
HCLFMT=$PWD/$B/tools/hclfmt
ROOT=$PWD
G=tests/fmt

if [ ! -x "$TFC" ] || [ ! -x "$HCLFMT" ]; then
  echo "FAIL - fmt: missing $TFC or $HCLFMT"
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tfc-fmt.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
fail() { echo "FAIL - $1: $2"; }

# first_diff A B: the first differing line of two files, for FAIL messages.
first_diff() {
  diff "$1" "$2" | head -4 | tr '\n' '|' | cut -c1-200
}

# --- golden files --------------------------------------------------------------
#   fmt-layout/NAME   hclwrite's layout alone (tests/tools/hclfmt) equals the
#                     oracle's output, tests/fmt/hclwrite/NAME.fmt
#   fmt-file/NAME     `tfc fmt FILE` rewrites the file to tests/fmt/terraform/
#                     NAME.fmt where Terraform's rewrites apply, else to the
#                     hclwrite golden; it lists the file iff it changed
#   fmt-idempotent/NAME  formatting the result again changes nothing and
#                     `tfc fmt -check` accepts it
for f in tests/hcl/conformance/*.tf $G/cases/*; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  golden=$G/hclwrite/$name.fmt
  if [ ! -f "$golden" ]; then
    fail "fmt-layout/$name" "missing $golden"
    continue
  fi
  if timeout 5 "$HCLFMT" "$f" >"$tmp/layout" 2>"$tmp/err" && cmp -s "$tmp/layout" "$golden"; then
    ok "fmt-layout/$name"
  else
    fail "fmt-layout/$name" "$(first_diff "$golden" "$tmp/layout")"
  fi

  want=$G/terraform/$name.fmt
  [ -f "$want" ] || want=$golden
  mkdir -p "$tmp/w" && rm -rf "$tmp/w"/* && cp "$f" "$tmp/w/$name"
  (cd "$tmp/w" && timeout 5 "$TFC" fmt "$name" >"$tmp/out" 2>"$tmp/err")
  rc=$?
  expect_list=
  cmp -s "$f" "$want" || expect_list="$name"
  if [ "$rc" -ne 0 ]; then
    fail "fmt-file/$name" "exit $rc: $(head -c 200 "$tmp/err")"
  elif ! cmp -s "$tmp/w/$name" "$want"; then
    fail "fmt-file/$name" "$(first_diff "$want" "$tmp/w/$name")"
  elif [ "$(cat "$tmp/out")" != "$expect_list" ]; then
    fail "fmt-file/$name" "listed \"$(head -c 100 "$tmp/out")\", want \"$expect_list\""
  else
    ok "fmt-file/$name"
  fi

  cp "$tmp/w/$name" "$tmp/once"
  (cd "$tmp/w" && timeout 5 "$TFC" fmt "$name" >/dev/null 2>&1)
  (cd "$tmp/w" && timeout 5 "$TFC" fmt -check "$name" >/dev/null 2>&1)
  rc=$?
  if cmp -s "$tmp/once" "$tmp/w/$name" && [ "$rc" -eq 0 ]; then
    ok "fmt-idempotent/$name"
  else
    fail "fmt-idempotent/$name" "second run changed the file or -check exited $rc"
  fi
done

# The article's sample repositories, as snapshotted in tests/fmt/samples/
# (inputs unformatted as published, NAME.fmt the oracle's output): -check
# lists exactly the files that change and exits 3; a recursive run rewrites
# each file to the oracle's output; then -check is clean. The live samples/
# tree (which may have grown since) must at least come out idempotent.
rm -rf "$tmp/s" && mkdir -p "$tmp/s" && (cd $G && find samples -type f ! -name '*.fmt' -print0 | xargs -0 cp --parents -t "$tmp/s")
(cd "$tmp/s" && "$TFC" fmt -check -recursive samples >"$tmp/out" 2>&1)
rc=$?
(cd $G && find samples -type f -name '*.fmt' | while read -r g; do
  cmp -s "${g%.fmt}" "$g" || echo "${g%.fmt}"
done) | LC_ALL=C sort >"$tmp/want"
LC_ALL=C sort "$tmp/out" >"$tmp/got"
if [ "$rc" -eq 3 ] && cmp -s "$tmp/got" "$tmp/want"; then ok "fmt-samples/check"; else fail "fmt-samples/check" "exit $rc: $(head -c 200 "$tmp/out" | tr '\n' '|')"; fi
(cd "$tmp/s" && "$TFC" fmt -recursive samples >/dev/null 2>&1)
for g in $(cd $G && find samples -type f -name '*.fmt' | LC_ALL=C sort); do
  f=${g%.fmt}
  if cmp -s "$tmp/s/$f" "$G/$g"; then ok "fmt-samples/$f"; else fail "fmt-samples/$f" "$(first_diff "$G/$g" "$tmp/s/$f")"; fi
done
(cd "$tmp/s" && "$TFC" fmt -check -recursive samples >"$tmp/out" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ]; then ok "fmt-samples/clean-after"; else fail "fmt-samples/clean-after" "exit $rc"; fi
rm -rf "$tmp/live" && mkdir -p "$tmp/live" && cp -r samples "$tmp/live/"
(cd "$tmp/live" && "$TFC" fmt -recursive samples >/dev/null 2>&1 && "$TFC" fmt -check -recursive samples >"$tmp/out" 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then ok "fmt-samples/live-idempotent"; else fail "fmt-samples/live-idempotent" "exit $rc: $(head -c 200 "$tmp/out")"; fi

# --- the command ---------------------------------------------------------------

# A project: one unformatted file, one formatted, JSON, hidden and backup
# files, a tfvars, a test file, a subdirectory, a non-HCL file.
setup() {
  rm -rf "$tmp/p" && mkdir -p "$tmp/p/sub/deeper" "$tmp/p/.terraform"
  cd "$tmp/p" || exit 1
  printf 'resource "a" "b" {\nx=1\n  yy = "${var.y}"\n}\n' >main.tf
  printf 'a = 1\n' >ok.tf
  printf '{"a":   1}\n' >x.tf.json
  printf 'a=1\n' >.hidden.tf
  printf 'a=1\n' >main.tf~
  printf 'region="x"\n' >dev.tfvars
  printf 'run "r" {\ncommand=plan\n}\n' >t.tftest.hcl
  printf 'a=1\n' >notes.txt
  printf 'b=2\n' >sub/s.tf
  printf 'c=3\n' >sub/deeper/d.tf
  printf 'z=1\n' >.terraform/m.tf
}

# check NAME CONDITION-DESCRIPTION COMMAND...: runs a shell test.
t() {
  local name=$1; shift
  if "$@"; then ok "$name"; else fail "$name" "${WHY:-condition failed}"; fi
  WHY=
}

# run ARGS...: tfc fmt in the project, stdout/stderr/rc captured.
run() {
  "$TFC" fmt "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  RC=$?
}
out_is() { printf -- "$1" >"$tmp/want"; cmp -s "$tmp/want" "$tmp/stdout" || { WHY="stdout: $(head -c 200 "$tmp/stdout" | tr '\n' '|') want: $(tr '\n' '|' <"$tmp/want")"; return 1; }; }
rc_is() { [ "$RC" -eq "$1" ] || { WHY="exit $RC, want $1; stderr: $(head -c 200 "$tmp/stderr")"; return 1; }; }
file_is() { printf -- "$2" >"$tmp/want"; cmp -s "$tmp/want" "$1" || { WHY="$1 is: $(head -c 200 "$1" | tr '\n' '|')"; return 1; }; }

MAIN_FMT='resource "a" "b" {\n  x  = 1\n  yy = var.y\n}\n'

setup; run
t fmt-cli/default-dir-lists-and-writes eval 'rc_is 0 && out_is "dev.tfvars\nmain.tf\nt.tftest.hcl\n"'
t fmt-cli/default-dir-rewrites file_is main.tf "$MAIN_FMT"
t fmt-cli/tfvars-and-tftest eval 'file_is dev.tfvars "region = \"x\"\n" && file_is t.tftest.hcl "run \"r\" {\n  command = plan\n}\n"'
t fmt-cli/untouched eval 'file_is ok.tf "a = 1\n" && file_is x.tf.json "{\"a\":   1}\n" && file_is .hidden.tf "a=1\n" && file_is main.tf~ "a=1\n" && file_is notes.txt "a=1\n" && file_is sub/s.tf "b=2\n"'
run
t fmt-cli/second-run-quiet eval 'rc_is 0 && out_is ""'

setup; run -recursive
t fmt-cli/recursive eval 'rc_is 0 && out_is "dev.tfvars\nmain.tf\nsub/deeper/d.tf\nsub/s.tf\nt.tftest.hcl\n" && file_is sub/deeper/d.tf "c = 3\n" && file_is .terraform/m.tf "z=1\n"'

setup; run -check
t fmt-cli/check-lists-exit-3 eval 'rc_is 3 && out_is "dev.tfvars\nmain.tf\nt.tftest.hcl\n"'
t fmt-cli/check-writes-nothing file_is main.tf 'resource "a" "b" {\nx=1\n  yy = "${var.y}"\n}\n'
run -check -list=false
t fmt-cli/check-list-false-silent eval 'rc_is 3 && out_is ""'
run -check ok.tf
t fmt-cli/check-formatted-exit-0 eval 'rc_is 0 && out_is ""'
run -check=true -recursive=false sub
t fmt-cli/check-explicit-bool-values eval 'rc_is 3 && out_is "sub/s.tf\n"'

DIFF_MAIN='--- old/main.tf\n+++ new/main.tf\n@@ -1,4 +1,4 @@\n resource "a" "b" {\n-x=1\n-  yy = "${var.y}"\n+  x  = 1\n+  yy = var.y\n }\n'
setup; run -diff -write=false main.tf
t fmt-cli/diff eval 'rc_is 0 && out_is "main.tf\n$DIFF_MAIN"'
t fmt-cli/diff-write-false-untouched file_is main.tf 'resource "a" "b" {\nx=1\n  yy = "${var.y}"\n}\n'
run -diff -list=false -write=false main.tf
t fmt-cli/diff-only eval 'rc_is 0 && out_is "$DIFF_MAIN"'
run -check -diff main.tf ok.tf
t fmt-cli/check-diff eval 'rc_is 3 && out_is "main.tf\n$DIFF_MAIN"'
if command -v diff >/dev/null 2>&1; then
  "$TFC" fmt -list=false -write=false main.tf >"$tmp/new.tf"
  diff -u --label=old/main.tf --label=new/main.tf main.tf "$tmp/new.tf" >"$tmp/gnu"
  run -diff -list=false -write=false main.tf
  t fmt-cli/diff-matches-diff-u cmp -s "$tmp/gnu" "$tmp/stdout"
fi
printf 'a=1' >nonl.tf; run -diff -list=false -write=false nonl.tf
t fmt-cli/diff-no-newline-marker eval 'out_is "--- old/nonl.tf\n+++ new/nonl.tf\n@@ -1 +1 @@\n-a=1\n\\\\ No newline at end of file\n+a = 1\n\\\\ No newline at end of file\n"'
run -list=false -write=false ok.tf main.tf
t fmt-cli/print-formatted eval 'rc_is 0 && out_is "a = 1\n$MAIN_FMT"'

# paths are shown relative to the working directory
setup; run ./sub/../sub
t fmt-cli/path-cleaned eval 'rc_is 0 && out_is "sub/s.tf\n"'
setup; run "$tmp/p/main.tf"
t fmt-cli/path-absolute-made-relative eval 'rc_is 0 && out_is "main.tf\n"'
setup; (cd sub && "$TFC" fmt ../main.tf >"$tmp/stdout" 2>"$tmp/stderr"); RC=$?
t fmt-cli/path-parent eval 'rc_is 0 && out_is "../main.tf\n"'

# standard input
setup
printf 'a=1\nbb="${x}"' | "$TFC" fmt - >"$tmp/stdout" 2>"$tmp/stderr"; RC=$?
t fmt-cli/stdin eval 'rc_is 0 && out_is "a  = 1\nbb = x\n"'
printf 'a = 1\n' | "$TFC" fmt -check - >"$tmp/stdout" 2>"$tmp/stderr"; RC=$?
t fmt-cli/stdin-check-ok eval 'rc_is 0 && out_is ""'
printf 'a=1\n' | "$TFC" fmt -check - >"$tmp/stdout" 2>"$tmp/stderr"; RC=$?
t fmt-cli/stdin-check-unformatted eval 'rc_is 3 && out_is ""'
printf 'a=1\n' | "$TFC" fmt -diff - >"$tmp/stdout" 2>"$tmp/stderr"; RC=$?
t fmt-cli/stdin-diff eval 'rc_is 0 && out_is "--- old/<stdin>\n+++ new/<stdin>\n@@ -1 +1 @@\n-a=1\n+a = 1\n"'

# syntax errors: file untouched, diagnostic with its line, exit 2
setup
printf 'a = 1\nb = {\n' >bad.tf
printf 'ok=1\n' >good.tf
run -no-color
t fmt-cli/syntax-error-exit-2 rc_is 2
t fmt-cli/syntax-error-file-untouched file_is bad.tf 'a = 1\nb = {\n'
t fmt-cli/syntax-error-diagnostic eval 'grep -q "^Error: " "$tmp/stderr" && grep -q "on bad.tf line [0-9]" "$tmp/stderr"'
t fmt-cli/syntax-error-others-formatted file_is good.tf 'ok = 1\n'
t fmt-cli/syntax-error-no-bare-message eval '! grep -q "syntax error" "$tmp/stderr"'
rm -f good.tf; printf 'ok=1\n' >good.tf; run -check -no-color
t fmt-cli/syntax-error-beats-check eval 'rc_is 2 && out_is ""'
printf 'a = "x\n' | "$TFC" fmt -no-color - >"$tmp/stdout" 2>"$tmp/stderr"; RC=$?
t fmt-cli/syntax-error-stdin eval 'rc_is 2 && out_is "" && grep -q "<stdin>" "$tmp/stderr"'

# usage and path errors
setup
run nope
t fmt-cli/missing-path eval 'rc_is 2 && grep -q "No file or directory at nope" "$tmp/stderr"'
run notes.txt
t fmt-cli/unsupported-file eval 'rc_is 2 && grep -q "Only .tf, .tfvars, and .tftest.hcl files" "$tmp/stderr"'
run -bogus
t fmt-cli/bad-flag eval 'rc_is 1 && grep -q "flag provided but not defined: -bogus" "$tmp/stderr"'
run -list=maybe
t fmt-cli/bad-bool eval 'rc_is 1 && grep -q "invalid boolean value" "$tmp/stderr"'
run x.tf.json
t fmt-cli/json-refused eval 'rc_is 2 && file_is x.tf.json "{\"a\":   1}\n"'

# an empty directory, and a read-only directory holding a writable file
setup; mkdir empty; run empty
t fmt-cli/empty-dir eval 'rc_is 0 && out_is ""'
setup; mkdir ro && printf 'a=1\n' >ro/x.tf && chmod 0555 ro; run ro
chmod 0755 ro
if [ "$(id -u)" -eq 0 ]; then
  t fmt-cli/read-only-dir eval 'rc_is 0 && out_is "ro/x.tf\n" && file_is ro/x.tf "a = 1\n"'
else
  t fmt-cli/read-only-dir eval 'rc_is 0 && out_is "ro/x.tf\n" && file_is ro/x.tf "a = 1\n" && [ -z "$(ls ro | grep -v "^x.tf$")" ]'
fi

# -write keeps the file's permissions and follows symlinks
setup; chmod 0640 main.tf; ln -s main.tf link.tf; run link.tf
t fmt-cli/write-keeps-mode eval '[ "$(stat -c %a main.tf)" = 640 ] && [ -L link.tf ] && file_is main.tf "$MAIN_FMT"'

cd "$ROOT" || exit 1
exit 0
