#!/usr/bin/env bash
# tests/suites/pathological.sh — `tfc hcl2json` on hostile input.
#
# Run by tests/run.sh with TFC, B and TFC_ROOT set (cwd = repo root).
# Inputs are generated here at run time (nothing big is committed). Every
# run has a time limit: 1 second, 2 under a sanitizer build (B contains
# "asan"); a few big inputs get a multiple of that. A case passes when tfc
# finishes in time with exit status 0 or 1 (never a crash, a signal or a
# timeout) and:
#   valid    — exit 0;
#   invalid  — exit 1 and a diagnostic ("Error: " on stderr);
#   either   — exit 0, or exit 1 with a diagnostic (for inputs that are
#              valid HCL but may reasonably hit a documented nesting limit).
# The truncations of a sample file are one case that lists failing offsets.
set -u

cd "${TFC_ROOT:-.}" || exit 1
B=${B:-build}
TFC=${TFC:-$PWD/$B/tfc}
LIMIT=1
case "$B" in *asan*) LIMIT=2 ;; esac

if [ ! -x "$TFC" ]; then
  echo "FAIL - pathological: no tfc binary at $TFC"
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tfc-patho.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
err=$tmp/err

# rep N STRING: STRING repeated N times, on stdout (no trailing newline).
rep() {
  local n=$1 s=$2
  head -c "$n" /dev/zero | tr '\0' 'x' | sed "s/x/$s/g"
}

# run_tfc FILE SECONDS: runs tfc hcl2json under a wall-clock limit; sets RC.
run_tfc() {
  timeout "$2" "$TFC" hcl2json -no-color "$1" <"/dev/null" >"$out" 2>"$err"
  RC=$?
}

# has_error: does $err contain "Error: "? (a builtin read: no process)
has_error() {
  local text=
  IFS= read -r -d '' text <"$err"
  [[ $text == *"Error: "* ]]
}

# verdict KIND: sets WHY to "" when the last run (RC, $err) satisfies KIND,
# else to the reason. (No subshell: the truncation loop calls it often.)
verdict() {
  local kind=$1
  WHY=
  if [ "$RC" -eq 124 ]; then
    WHY="timed out"
    return
  fi
  if [ "$RC" -eq $((128 + 24)) ]; then
    WHY="exceeded the CPU time limit (SIGXCPU)"
    return
  fi
  if [ "$RC" -ne 0 ] && [ "$RC" -ne 1 ]; then
    if [ "$RC" -gt 128 ]; then
      WHY="crashed (signal $((RC - 128)))"
    else
      WHY="exit status $RC"
    fi
    return
  fi
  case $kind in
    valid)
      if [ "$RC" -ne 0 ]; then
        WHY="rejected valid input: $(grep -m1 'Error: ' "$err" | cut -c1-120)"
      fi
      ;;
    invalid)
      if [ "$RC" -ne 1 ]; then
        WHY="accepted invalid input"
      elif ! has_error; then
        WHY="exit 1 without an \"Error: \" diagnostic"
      fi
      ;;
    either)
      if [ "$RC" -eq 1 ] && ! has_error; then
        WHY="exit 1 without an \"Error: \" diagnostic"
      fi
      ;;
  esac
}

# check NAME KIND FILE [LIMIT-MULTIPLIER]
check() {
  local name=$1 kind=$2 file=$3 mult=${4:-1}
  run_tfc "$file" $((LIMIT * mult))
  verdict "$kind"
  if [ -z "$WHY" ]; then
    echo "ok - pathological/$name"
  else
    echo "FAIL - pathological/$name: $WHY"
  fi
}

f=$tmp/in.tf

# Deep nesting of brackets and parentheses, closed (valid HCL) and unclosed.
{ printf 'a = '; rep 100000 '['; printf '1'; rep 100000 ']'; printf '\n'; } >"$f"
check nested-brackets-100k either "$f"
{ printf 'a = '; rep 100000 '['; printf '\n'; } >"$f"
check nested-brackets-100k-unclosed invalid "$f"
{ printf 'a = '; rep 100000 '('; printf '1'; rep 100000 ')'; printf '\n'; } >"$f"
check nested-parens-100k either "$f"
{ printf 'a = '; rep 100000 '('; printf '\n'; } >"$f"
check nested-parens-100k-unclosed invalid "$f"
{ printf 'a = '; rep 100000 '{a='; printf '1'; rep 100000 '}'; printf '\n'; } >"$f"
check nested-objects-100k either "$f"
{ printf 'a = f('; rep 100000 'f('; printf '\n'; } >"$f"
check nested-calls-100k-unclosed invalid "$f"

# A 50 MB quoted string.
{ printf 'a = "'; head -c 52428800 /dev/zero | tr '\0' 'x'; printf '"\n'; } >"$f"
check string-50mb valid "$f" 3
{ printf 'a = "'; head -c 52428800 /dev/zero | tr '\0' 'x'; } >"$f"
check string-50mb-unterminated invalid "$f" 3

# 10,000 nested templates "${"${"${ ... x ... }"}"}".
{ printf 'a = '; rep 10000 '"${'; printf 'x'; rep 10000 '}"'; printf '\n'; } >"$f"
check nested-templates-10k either "$f"
{ printf 'a = '; rep 10000 '"${'; printf 'x\n'; } >"$f"
check nested-templates-10k-unclosed invalid "$f"
{ printf 'a = "'; rep 10000 '%{if x}'; rep 10000 '%{endif}'; printf '"\n'; } >"$f"
check nested-if-directives-10k either "$f"
{ printf 'a = "'; rep 10000 '%{for x in y}'; printf '"\n'; } >"$f"
check nested-for-directives-10k-unclosed invalid "$f"

# A 20,000-level nested block, closed and unclosed.
{ rep 20000 'a {\n'; rep 20000 '}\n'; } >"$f"
check nested-blocks-20k either "$f"
{ rep 20000 'a {\n'; } >"$f"
check nested-blocks-20k-unclosed invalid "$f"

# Long flat inputs: 100,000 operators, unary chain, tuple items, attributes,
# a 10 MB comment.
{ printf 'a = 1'; rep 100000 ' + 1'; printf '\n'; } >"$f"
check binary-chain-100k either "$f"
{ printf 'a = '; rep 100000 '!'; printf 'x\n'; } >"$f"
check unary-chain-100k either "$f"
{ printf 'a = [1'; rep 100000 ', 1'; printf ']\n'; } >"$f"
check tuple-100k-items valid "$f"
seq 1 100000 | sed 's/.*/a& = &/' >"$f"
check attributes-100k valid "$f" 2
{ printf '/*'; head -c 10485760 /dev/zero | tr '\0' 'c'; printf '*/\na = 1\n'; } >"$f"
check comment-10mb valid "$f"
{ printf 'a = 1\n/*'; head -c 10485760 /dev/zero | tr '\0' 'c'; } >"$f"
check comment-10mb-unclosed invalid "$f"
{ printf 'a = <<EOT\n'; rep 100000 'line ${x}\n'; printf 'EOT\n'; } >"$f"
check heredoc-100k-lines valid "$f"
{ printf 'a = <<EOT\n'; rep 100000 'line ${x}\n'; } >"$f"
check heredoc-100k-lines-unclosed invalid "$f"

# Invalid UTF-8 and NUL bytes.
printf 'a = "\xff\xfe"\n' >"$f"
check invalid-utf8-in-string invalid "$f"
printf '\xc3 = 1\n' >"$f"
check invalid-utf8-truncated-sequence invalid "$f"
printf 'a = 1\n\xed\xa0\x80 = 2\n' >"$f"
check invalid-utf8-surrogate invalid "$f"
printf 'a = "\xc0\xaf"\n' >"$f"
check invalid-utf8-overlong invalid "$f"
printf 'a = <<EOT\n\xf8\x88\x80\x80\x80\nEOT\n' >"$f"
check invalid-utf8-in-heredoc invalid "$f"
printf '# comment \xff\na = 1\n' >"$f"
check invalid-utf8-in-comment either "$f"
printf 'a = 1\x00\n' >"$f"
check nul-after-value invalid "$f"
printf '\x00\x00\x00' >"$f"
check nul-only invalid "$f"
printf 'a = "x\x00y"\n' >"$f"
check nul-in-string either "$f"
head -c 65536 /dev/urandom >"$f"
check random-bytes-64k either "$f"

# Every truncation of a real sample file (one case, failing offsets listed).
# The offsets are shared out among parallel workers (one per CPU, at most 8);
# each writes the prefixes with bash builtins (LC_ALL=C: offsets are bytes).
# These ~600 runs are limited by CPU time (ulimit -t, inherited by tfc)
# rather than by timeout(1), which would add a process per run; stdin is
# /dev/null, so tfc cannot block, and a runaway tfc gets SIGXCPU.
sample=samples/sagemaker-endpoint/inference/endpoint.tf
case_name=truncations-of-${sample##*/}
if [ -f "$sample" ]; then
  export LC_ALL=C
  content=
  IFS= read -r -d '' content <"$sample"
  size=${#content}
  workers=$(nproc 2>/dev/null || echo 2)
  [ "$workers" -gt 8 ] && workers=8
  [ "$workers" -lt 1 ] && workers=1
  for ((w = 0; w < workers; w++)); do
    (
      ulimit -S -t "$LIMIT"
      ulimit -H -t $((LIMIT + 1))
      out=$tmp/out.$w
      err=$tmp/err.$w
      f=$tmp/trunc.$w.tf
      for ((i = w; i < size; i += workers)); do
        printf '%s' "${content:0:i}" >"$f"
        "$TFC" hcl2json -no-color "$f" <"/dev/null" >"$out" 2>"$err"
        RC=$?
        verdict either
        if [ -n "$WHY" ]; then
          echo "$i ($WHY)"
        fi
      done >"$tmp/bad.$w"
    ) &
  done
  wait
  bad=$(cat "$tmp"/bad.* | sort -n)
  if [ -z "$bad" ]; then
    echo "ok - pathological/$case_name"
  else
    nbad=$(printf '%s\n' "$bad" | wc -l)
    list=$(printf '%s\n' "$bad" | head -10 | paste -sd, - | sed 's/,/, /g')
    echo "FAIL - pathological/$case_name: $nbad of $size offsets failed: $list"
  fi
else
  echo "FAIL - pathological/$case_name: missing $sample"
fi
exit 0
