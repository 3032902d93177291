#!/usr/bin/env bash
# bench/fmt_bench.sh — `tfc fmt -check -recursive` over a generated tree of
# 2,000 Terraform files of 2-4 KB (bench/gen_fmt_tree.py), the pre-commit
# case. Prints the best and median wall time of 7 runs, the CPU time
# (user + sys) of an eighth, and the machine's load, since wall time on a
# busy machine says little. The target is < 200 ms.
#
# Usage: bench/fmt_bench.sh [TFC] [FILES]
set -u
TFC=${1:-${TFC:-build/tfc}}
N=${2:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$(dirname "$0")/gen_fmt_tree.py" "$tmp/tree" "$N" || exit 1
bytes=$(cat "$tmp"/tree/*/* | wc -c)
files=$(find "$tmp/tree" -type f | wc -l)
TFC=$(cd "$(dirname "$TFC")" && pwd)/$(basename "$TFC")
cd "$tmp/tree" || exit 1
"$TFC" fmt -check -recursive . >"$tmp/list"
rc=$?
if [ "$rc" -ne 3 ]; then
  echo "fmt_bench: expected exit 3 (some files unformatted), got $rc"
  exit 1
fi
times=()
for i in 1 2 3 4 5 6 7; do
  s=$(date +%s%N)
  "$TFC" fmt -check -recursive . >/dev/null
  e=$(date +%s%N)
  times+=($(( (e - s) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
cpu=$( { /usr/bin/time -f '%U %S' "$TFC" fmt -check -recursive . >/dev/null; } 2>&1 | tail -1 | awk '{printf "%d", ($1 + $2) * 1000}')
echo "fmt -check -recursive: $files files, $((bytes / 1024)) KB, $(wc -l <"$tmp/list") unformatted:" \
     "best ${sorted[0]} ms, median ${sorted[3]} ms wall; ${cpu} ms CPU (target < 200 ms; load average $(cut -d" " -f1 /proc/loadavg) on $(nproc) CPUs)"
