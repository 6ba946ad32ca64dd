#!/usr/bin/env bash
# Checks the deployment artifacts without a cluster and reports every failure:
#   - deploy/kubeadm: kubeadm's own code renders kcm's static pod with the
#     sidecar patch; kubeadm and kind-config's kubeadm patches decode strictly
#     (root module, k8s.io/kubernetes)
#   - deploy/validate: the PrometheusRule (Prometheus' rule and PromQL
#     parsers, and the rule unit tests of deploy/monitoring/tests run by
#     `promtool test rules`, with Debian's prometheus package, installed
#     here when missing), the Grafana dashboard, kind-config (kind's v1alpha4
#     types) and the manifests' wiring; a separate module, so that Prometheus
#     and kind stay out of go.mod
#   - every kustomization renders (kubectl kustomize), when kubectl is there
#   - the image and kind scripts parse (shellcheck when installed)
# e2e/deploy applies the rendered manifests to a real API server.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1

failed=()
check() {
  local name="$1"; shift
  log "--- ${name}"
  if "$@"; then log "    ok"; else failed+=("${name}"); fi
}

validate_module() {
  ensure_prometheus || return 1
  (cd deploy/validate && test -z "$(gofmt -l .)" && "${GO}" vet ./... && "${GO}" test -count=1 ./...)
}

kustomize_all() {
  local kubectl="${REPO_ROOT}/_output/bin/kubectl" dir
  [[ -x "${kubectl}" ]] || kubectl="$(command -v kubectl || true)"
  if [[ -z "${kubectl}" ]]; then
    log "    no kubectl (make cluster-binaries): skipped"
    return 0
  fi
  for dir in deploy deploy/monitoring deploy/kubeadm deploy/leader-pod-deletion-cost; do
    "${kubectl}" kustomize "${dir}" >/dev/null || { log "kubectl kustomize ${dir} failed"; return 1; }
  done
}

scripts_parse() {
  local s scripts=(scripts/image.sh scripts/kind-e2e.sh scripts/verify-deploy.sh scripts/verify-workflows.sh)
  for s in "${scripts[@]}"; do bash -n "${s}" || return 1; done
  if command -v shellcheck >/dev/null; then shellcheck -x "${scripts[@]}"; fi
}

check "kubeadm sidecar patch (go test ./deploy/...)" "${GO}" test -count=1 ./deploy/...
check "rules and their promtool unit tests, dashboard, kind config, manifests (deploy/validate)" validate_module
check "kustomizations render" kustomize_all
check "scripts" scripts_parse

if ((${#failed[@]})); then
  die "verify-deploy failed: ${failed[*]}"
fi
log "verify-deploy: all checks passed"
