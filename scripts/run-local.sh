#!/usr/bin/env bash
# `make run`: a local control plane (etcd, kube-apiserver, kube-controller-
# manager without its CronJob controller, kwok with one fake node) plus
# steadycron, with the CronJobs from examples/ applied. Prints the kubeconfig
# and what to try; Ctrl-C tears everything down.
#   scripts/run-local.sh [-examples=DIR] [-namespace=NS] [-v=2]
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

export E2E_ARTIFACTS="${E2E_ARTIFACTS:-${ROOT}/_output/local/$(date +%Y%m%d-%H%M%S)}"
unset E2E_KUBECONFIG

go build -o _output/bin/localcluster ./e2e/cmd/localcluster
# exec, so that Ctrl-C and SIGTERM reach localcluster, which stops every
# process it started.
exec _output/bin/localcluster -examples=examples "$@"
