#!/usr/bin/env bash
# tests/suites/hcl2json.sh — `tfc hcl2json` against the HCL conformance set.
#
# Run by tests/run.sh with TFC (the tfc binary), B (the build dir) and
# TFC_ROOT (the repo root, also the cwd). Prints one line per case,
# "ok - NAME" or "FAIL - NAME: why".
#
#   tests/hcl/conformance/NNN-x.tf   input that HashiCorp's parser accepts;
#   NNN-x.tf.json.expected           the oracle's hcl2json output for it.
#     case hcl2json/NNN-x: `tfc hcl2json FILE` exits 0 and its stdout equals
#     the expected JSON as parsed JSON (tests/tools/jsoncmp).
#
#   tests/hcl/errors/NNN-x.tf        input that the oracle rejects;
#   NNN-x.tf.err.expected            the oracle's one-line message, e.g.
#     parse config: [NNN-x.tf:3,1-2: Summary; Detail NNN-x.tf:...]
#     case hcl2json-error/NNN-x: `tfc hcl2json -no-color FILE` exits 1 and
#     the first diagnostic ("Error: ..." then "  on FILE line N...") is on
#     the oracle's line (the start line of its first range). Messages
#     without a range (the oracle's block-conversion errors) only need
#     exit 1 and an "Error: " line.
#     case hcl2json-error/NNN-x/no-syntax-error: nothing tfc prints contains
#     the bare text "syntax error".
#
# Every tfc run is limited to 5 seconds and runs on its own file. The runs
# are shared out among parallel workers (one per CPU, at most 8), the JSON
# outputs are compared in one jsoncmp process (-batch), and the results are
# printed sorted by case name — this keeps the suite fast, also under the
# sanitizers where every process start is slow.
set -u

cd "${TFC_ROOT:-.}" || exit 1
B=${B:-build}
TFC=${TFC:-$PWD/$B/tfc}
JSONCMP=$B/tools/jsoncmp
CONF=tests/hcl/conformance
ERRS=tests/hcl/errors

if [ ! -x "$TFC" ]; then
  echo "FAIL - hcl2json: no tfc binary at $TFC"
  exit 1
fi
if [ ! -x "$JSONCMP" ]; then
  echo "FAIL - hcl2json: no jsoncmp at $JSONCMP (make builds tests/tools/*.c)"
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tfc-hcl2json.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/json"

# describe_status RC: why a run that should have finished normally did not.
describe_status() {
  local rc=$1
  if [ "$rc" -eq 124 ]; then
    echo "timed out after 5s"
  elif [ "$rc" -gt 128 ]; then
    echo "crashed (signal $((rc - 128)))"
  else
    echo "exit status $rc"
  fi
}

# first_line FILE: the first non-empty line of FILE, for FAIL messages.
first_line() {
  local line
  while IFS= read -r line; do
    if [ -n "$line" ]; then
      printf '%s' "${line:0:160}"
      return
    fi
  done <"$1"
}

# Every result line is printed as "KEY<TAB>ok - ..." so that the lines of
# all workers can be sorted at the end: conformance cases (KEY c/NAME)
# first, then error cases (KEY e/NAME), each by name.
result() {
  printf '%s\t%s\n' "$1" "$2"
}

# conf_one FILE: runs tfc on a conformance file. On success the output is
# queued for jsoncmp (a NAME<TAB>EXPECTED<TAB>ACTUAL line on fd 3),
# otherwise a FAIL result is printed.
conf_one() {
  local f=$1 name expected actual rc
  name=${f##*/}
  name=${name%.tf}
  expected=$f.json.expected
  if [ ! -f "$expected" ]; then
    result "c/$name" "FAIL - hcl2json/$name: missing $expected"
    return
  fi
  actual=$tmp/json/$name.json
  timeout 5 "$TFC" hcl2json "$f" <"/dev/null" >"$actual" 2>"$err"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    result "c/$name" "FAIL - hcl2json/$name: $(describe_status "$rc"): $(first_line "$err")"
    return
  fi
  printf '%s\t%s\t%s\n' "$name" "$expected" "$actual" >&3
}

# Lines of the form "Error: Summary" and "  on FILE line N:" (or
# "line N, in ...:"), possibly behind the "│ " frame Terraform draws when
# colour is on. The first "on ... line N" after the first "Error:" line is
# the first diagnostic's subject.
re_error='^[^[:alnum:]]*Error: '
re_on='^[^[:alnum:]]*on .+ line ([0-9]+)(:|,)'

# err_one FILE: runs tfc on an error file; prints its two results.
err_one() {
  local f=$1 base name expected msg re_oracle want got seen_error rc line text
  base=${f##*/}
  name=${base%.tf}
  expected=$f.err.expected
  if [ ! -f "$expected" ]; then
    result "e/$name" "FAIL - hcl2json-error/$name: missing $expected"
    return
  fi
  msg=
  IFS= read -r msg <"$expected"
  # The oracle's first range: "BASE:LINE,COL-..." (BASE with dots escaped).
  re_oracle="${base//./\\.}:([0-9]+),[0-9]+-"
  want=
  if [[ $msg =~ $re_oracle ]]; then
    want=${BASH_REMATCH[1]}
  fi

  timeout 5 "$TFC" hcl2json -no-color "$f" <"/dev/null" >"$out" 2>"$err"
  rc=$?

  text=
  IFS= read -r -d '' text <"$out"
  line=
  IFS= read -r -d '' line <"$err"
  text+=$line
  if [[ $text == *"syntax error"* ]]; then
    line=${text%%syntax error*}
    line="${line##*$'\n'}syntax error"
    result "e/$name" "FAIL - hcl2json-error/$name/no-syntax-error: output contains \"syntax error\": ${line:0:160}"
  else
    result "e/$name" "ok - hcl2json-error/$name/no-syntax-error"
  fi

  if [ "$rc" -ne 1 ]; then
    if [ "$rc" -eq 0 ]; then
      result "e/$name" "FAIL - hcl2json-error/$name: accepted invalid input (exit 0); oracle: ${msg:0:200}"
    else
      result "e/$name" "FAIL - hcl2json-error/$name: $(describe_status "$rc"), want 1: $(first_line "$err")"
    fi
    return
  fi

  got=
  seen_error=0
  while IFS= read -r line; do
    if [ "$seen_error" -eq 0 ]; then
      [[ $line =~ $re_error ]] && seen_error=1
      continue
    fi
    if [[ $line =~ $re_on ]]; then
      got=${BASH_REMATCH[1]}
      break
    fi
    [[ $line =~ $re_error ]] && break # next diagnostic without a subject
  done <"$err"

  if [ "$seen_error" -eq 0 ]; then
    result "e/$name" "FAIL - hcl2json-error/$name: no \"Error: \" line on stderr: $(first_line "$err")"
  elif [ -z "$want" ]; then
    result "e/$name" "ok - hcl2json-error/$name"
  elif [ -z "$got" ]; then
    result "e/$name" "FAIL - hcl2json-error/$name: first diagnostic has no \"on FILE line N\"; want line $want"
  elif [ "$got" -ne "$want" ]; then
    result "e/$name" "FAIL - hcl2json-error/$name: first diagnostic on line $got, oracle says line $want: ${msg:0:200}"
  else
    result "e/$name" "ok - hcl2json-error/$name"
  fi
}

conf_files=()
for f in "$CONF"/*.tf; do [ -e "$f" ] && conf_files+=("$f"); done
err_files=()
for f in "$ERRS"/*.tf; do [ -e "$f" ] && err_files+=("$f"); done

workers=$(nproc 2>/dev/null || echo 2)
[ "$workers" -gt 8 ] && workers=8
[ "$workers" -lt 1 ] && workers=1

for ((w = 0; w < workers; w++)); do
  (
    out=$tmp/out.$w
    err=$tmp/err.$w
    for ((i = w; i < ${#conf_files[@]}; i += workers)); do
      conf_one "${conf_files[i]}"
    done
    for ((i = w; i < ${#err_files[@]}; i += workers)); do
      err_one "${err_files[i]}"
    done
  ) >"$tmp/results.$w" 3>"$tmp/list.$w" &
done
wait

# Compare the queued outputs; every queued name must get a result.
declare -A pending=()
while IFS=$'\t' read -r name _; do
  pending[$name]=1
done < <(cat "$tmp"/list.*)
while IFS= read -r line; do
  tag=${line:0:1}
  rest=${line:2}
  name=${rest%%: *}
  case $tag in
    =) name=$rest; result "c/$name" "ok - hcl2json/$name" ;;
    !) result "c/$name" "FAIL - hcl2json/$name: ${rest#*: }" ;;
    \?) result "c/$name" "FAIL - hcl2json/$name: output is not valid JSON: ${rest#*: }" ;;
    *) continue ;;
  esac
  unset "pending[$name]"
done < <(cat "$tmp"/list.* | "$JSONCMP" -batch 2>&1) >"$tmp/results.cmp"
for name in "${!pending[@]}"; do
  result "c/$name" "FAIL - hcl2json/$name: no result from jsoncmp -batch"
done >>"$tmp/results.cmp"

cat "$tmp"/results.* | LC_ALL=C sort -s -t $'\t' -k1,1 | cut -f2- | cut -c1-500
exit 0
