#!/usr/bin/env bash
# tests/hcl/regen-expected.sh — regenerate the expected outputs of the HCL
# conformance set from the oracle (HashiCorp's parser; see
# ../shared/oracle/README.md). Not needed to run the tests.
#
#   tests/hcl/regen-expected.sh [ORACLE_DIR]     (default /tmp/tfc-oracle)
#
# conformance/*.tf -> *.tf.json.expected  (the oracle must accept the file)
# errors/*.tf      -> *.tf.err.expected   (the oracle must reject it, exit 1)
# Files that break these rules are listed and their expected files removed.
set -u
oracle=${1:-/tmp/tfc-oracle}
cd "$(dirname "$0")" || exit 1
status=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

node "$oracle/hcl2json-batch.mjs" --out "$tmp" conformance >"$tmp/list.tsv" 2>/dev/null
for f in conformance/*.tf; do
  if [ -f "$tmp/$f.json" ]; then
    cp "$tmp/$f.json" "$f.json.expected"
  else
    echo "oracle rejects conformance file: $f" >&2
    grep -F "$f" "$tmp/list.tsv" >&2
    rm -f "$f.json.expected"
    status=1
  fi
done

for f in errors/*.tf; do
  node "$oracle/hcl2json.mjs" "$f" >/dev/null 2>"$tmp/err"
  rc=$?
  if [ "$rc" -eq 1 ]; then
    cp "$tmp/err" "$f.err.expected"
  else
    echo "oracle does not reject error file (exit $rc): $f" >&2
    rm -f "$f.err.expected"
    status=1
  fi
done
exit $status
