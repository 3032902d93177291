#!/usr/bin/env bash
# Sets up a fresh Debian machine (packages via apt), builds tfc and runs the
# main job on the article's sample: today, tfc hcl2json on every file of
# samples/sagemaker-endpoint (plan and apply arrive with the provider work).
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/deps.sh
make -j2 tfc
for f in samples/sagemaker-endpoint/variables.tf samples/sagemaker-endpoint/inference/*.tf \
         samples/sagemaker-endpoint/environments/*.tfvars; do
  echo "== $f"
  ./tfc hcl2json "$f"
done
