#!/usr/bin/env bash
# Runs the e2e suites (e2e/...) against a local control plane that the tests
# start from _output/bin (see `make cluster-binaries` and `make build`), or
# against the cluster in E2E_KUBECONFIG. Extra arguments go to `go test`,
# e.g. scripts/e2e.sh -run TestCronJobReplace
#
# Environment (see e2e/framework/options.go):
#   E2E_KUBECONFIG              use this cluster; start nothing
#   E2E_RUN_ID                  artifacts go to _output/e2e/<run-id>/<suite> (default: a timestamp)
#   E2E_ARTIFACTS               override the artifacts dir outright
#   E2E_FAKE_NODE               with E2E_KUBECONFIG: bind test pods to this kwok node instead of running real containers
#   E2E_STEADYCRON_ARGS         extra flags for steadycron, e.g. "-v=4"
#   E2E_KCM_CRONJOB_CONTROLLER  "true" leaves kcm's CronJob controller on: only to see the negative control fail
#   E2E_TIMEOUT                 go test -timeout (default 30m)
#   E2E_PARALLEL                go test -parallel (default 32; the tests mostly wait for minute marks)
#   E2E_PKGS                    the suites to run (default ./e2e/...), e.g. ./e2e/dropin/
#   E2E_PACKAGES                go test -p: suites run at once, each with its own control plane
#                               (default 1: two on 2 cores would distort the timing tests)
#   E2E_PROMETHEUS              the prometheus binary of the alerts suite (default: prometheus on
#                               PATH; Debian's prometheus package, installed here when missing
#                               and running as root)
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
ROOT="${REPO_ROOT}"
cd "${ROOT}"

export E2E_RUN_ID="${E2E_RUN_ID:-$(date +%Y%m%d-%H%M%S)}"
artifacts="${ROOT}/_output/e2e/${E2E_RUN_ID}"

if [[ -z "${E2E_KUBECONFIG:-}" ]]; then
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok cronjob-controller; do
    if [[ ! -x "${E2E_BIN_DIR:-_output/bin}/${b}" ]]; then
      echo "e2e: ${E2E_BIN_DIR:-_output/bin}/${b} is missing: run 'make build cluster-binaries' (or 'make e2e')" >&2
      exit 1
    fi
  done
fi

# The alerts suite (e2e/alerts) runs a real Prometheus.
if [[ -z "${E2E_KUBECONFIG:-}" && -z "${E2E_PROMETHEUS:-}" ]]; then
  ensure_prometheus || exit 1
fi

echo "e2e: run ${E2E_RUN_ID}; artifacts (process logs, failed tests' objects) in ${artifacts}" >&2
start=${SECONDS}
status=0
# -count=1: never a cached result for tests that talk to a cluster.
# shellcheck disable=SC2086 # E2E_PKGS is a list of packages
go test ${E2E_PKGS:-./e2e/...} -count=1 -v \
  -p "${E2E_PACKAGES:-1}" \
  -timeout "${E2E_TIMEOUT:-30m}" \
  -parallel "${E2E_PARALLEL:-32}" \
  "$@" || status=$?
echo "e2e: finished in $((SECONDS - start))s with status ${status}; artifacts in ${artifacts}" >&2
exit "${status}"
