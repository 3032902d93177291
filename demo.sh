#!/usr/bin/env bash
# Sets up a fresh Debian machine (packages via apt), builds tfc and runs the
# main job against the simulated AWS built into tfc:
#   1. the article's repository as published (samples/sagemaker-endpoint):
#      validate and plan stop on its dependency cycle, as Terraform does;
#   2. the versioned sample (the smallest fix): validate, plan and apply in
#      the prod workspace, then the simulated world's status.
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/deps.sh
make -j2 tfc
TFC=$PWD/tfc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r samples/sagemaker-endpoint samples/sagemaker-endpoint-versioned "$work"/

echo "== The article's repository, prod (Terraform stops on the same cycle)"
cd "$work/sagemaker-endpoint"
"$TFC" workspace new prod >/dev/null
TF_WORKSPACE=prod "$TFC" plan -var-file=environments/prod.tfvars || echo "(plan failed as Terraform's would: see the Cycle error above)"

echo "== The versioned sample, prod: validate, plan, apply"
cd "$work/sagemaker-endpoint-versioned"
"$TFC" workspace new prod >/dev/null
export TF_WORKSPACE=prod
"$TFC" validate -var-file=environments/prod.tfvars
"$TFC" plan -var-file=environments/prod.tfvars
"$TFC" apply -auto-approve -var-file=environments/prod.tfvars | grep -v 'Still creating'
"$TFC" sim status
