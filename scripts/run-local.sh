#!/usr/bin/env bash
# `make run`: a local control plane (etcd, kube-apiserver, kube-controller-
# manager without its CronJob controller, kube-scheduler, kwok with four fake
# nodes) plus
# steadycron and a Prometheus that scrapes it every 5 s with the shipped alert
# rules (deploy/monitoring/prometheusrule.yaml), with the CronJobs from
# examples/ applied. Prints the kubeconfig, the metrics and Prometheus URLs and
# what to try; Ctrl-C tears everything down.
#   scripts/run-local.sh [-examples=DIR] [-namespace=NS] [-prometheus=false]
#                        [-prometheus-address=HOST:PORT] [-v=2]
# PROMETHEUS=false (make run PROMETHEUS=false) is -prometheus=false. Prometheus
# is Debian's prometheus package, installed when missing and running as root.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
ROOT="${REPO_ROOT}"
cd "${ROOT}"

args=()
if [[ "${PROMETHEUS:-true}" == "false" || "${PROMETHEUS:-true}" == "0" ]]; then
  args+=(-prometheus=false)
elif [[ " $* " != *" -prometheus=false "* ]] && ! ensure_prometheus; then
  log "run: starting without Prometheus (PROMETHEUS=false silences this)"
  args+=(-prometheus=false)
fi

export E2E_ARTIFACTS="${E2E_ARTIFACTS:-${ROOT}/_output/local/$(date +%Y%m%d-%H%M%S)}"
unset E2E_KUBECONFIG

go build -o _output/bin/localcluster ./e2e/cmd/localcluster
# exec, so that Ctrl-C and SIGTERM reach localcluster, which stops every
# process it started.
exec _output/bin/localcluster -examples=examples "${args[@]}" "$@"
