#!/usr/bin/env bash
# scripts/tfc-hooks.sh — the commands behind .pre-commit-hooks.yaml.
#
#   tfc-hooks.sh fmt FILE...              rewrite the files in the canonical
#                                         style (pre-commit fails the commit
#                                         when a hook changed a file)
#   tfc-hooks.sh validate FILE...         `tfc validate` in each directory that
#                                         holds one of the files
#   tfc-hooks.sh validate-tfvars FILE...  in each such directory (or the module
#                                         above an environments/ folder), one
#                                         `tfc validate -var-file=F` for each
#                                         environments/*.tfvars
#
# FILE are the changed files pre-commit passes. tfc is taken from $TFC or
# the PATH. Exits non-zero when any run fails; every directory is checked,
# so one commit attempt shows every problem.
set -u
TFC=${TFC:-tfc}
mode=${1:-}
shift || true

if ! command -v "$TFC" >/dev/null 2>&1; then
  echo "tfc-hooks: \"$TFC\" not found; install tfc or set TFC=/path/to/tfc" >&2
  exit 2
fi

# module_dirs FILE...: the distinct directories of the files, a tfvars file
# under environments/ counting for the module above it; in input order.
module_dirs() {
  local f d seen=$'\n'
  for f in "$@"; do
    d=$(dirname -- "$f")
    if [ "$(basename -- "$d")" = environments ]; then d=$(dirname -- "$d"); fi
    case $seen in *$'\n'"$d"$'\n'*) continue ;; esac
    seen+="$d"$'\n'
    printf '%s\n' "$d"
  done
}

rc=0
case $mode in
fmt)
  [ $# -eq 0 ] && exit 0
  "$TFC" fmt -- "$@" || rc=$?
  ;;
validate)
  while IFS= read -r d; do
    [ -n "$d" ] || continue
    ls "$d"/*.tf >/dev/null 2>&1 || continue
    (cd "$d" && "$TFC" validate -no-color) || { echo "tfc validate failed in $d" >&2; rc=1; }
  done < <(module_dirs "$@")
  ;;
validate-tfvars)
  while IFS= read -r d; do
    [ -n "$d" ] || continue
    ls "$d"/*.tf >/dev/null 2>&1 || continue
    for v in "$d"/environments/*.tfvars; do
      [ -f "$v" ] || continue
      (cd "$d" && "$TFC" validate -no-color -var-file="environments/$(basename -- "$v")") ||
        { echo "tfc validate failed in $d with $v" >&2; rc=1; }
    done
  done < <(module_dirs "$@")
  ;;
*)
  echo "usage: tfc-hooks.sh fmt|validate|validate-tfvars FILE..." >&2
  exit 2
  ;;
esac
exit $rc
