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
#   - the metric and annotation contract (docs/metrics-contract.yaml):
#     docs/metrics.md documents exactly its families, labels, values and
#     annotations, and no file of the repository names a metric or a
#     steadycron.io/ annotation it lacks (deploy/validate; the rules and the
#     dashboard are checked against it above)
#   - every kustomization renders (kubectl kustomize), when kubectl is there
#   - the install with your own image (examples/own-image) renders with its
#     image in every container, and the release's manifests
#     (scripts/release-manifests.sh, with a stand-in digest) render pinned
#   - every script parses, and passes shellcheck when it is installed
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

# own_image: examples/own-image renders, and every container runs the image
# its images: entry names (newName:newTag@digest), not the default's :dev.
own_image() {
  local kubectl="${REPO_ROOT}/_output/bin/kubectl" want got
  [[ -x "${kubectl}" ]] || kubectl="$(command -v kubectl || true)"
  if [[ -z "${kubectl}" ]]; then
    log "    no kubectl (make cluster-binaries): skipped"
    return 0
  fi
  want="$(awk '$1 == "newName:" {n=$2} $1 == "newTag:" {t=$2} $1 == "digest:" {d=$2} END {print n ":" t "@" d}' examples/own-image/kustomization.yaml)"
  got="$("${kubectl}" kustomize examples/own-image | sed -n 's/^[[:space:]]*-\{0,1\}[[:space:]]*image:[[:space:]]*//p' | sort -u)"
  [[ "${got}" == "${want}" ]] || { log "examples/own-image runs ${got:-nothing}, want ${want}"; return 1; }
}

# release_manifests: what the release workflow attaches renders, pinned (a
# stand-in digest here; the script fails on any other image).
release_manifests() {
  local kubectl="${REPO_ROOT}/_output/bin/kubectl" tmp rc=0
  [[ -x "${kubectl}" ]] || kubectl="$(command -v kubectl || true)"
  if [[ -z "${kubectl}" ]]; then
    log "    no kubectl (make cluster-binaries): skipped"
    return 0
  fi
  tmp="$(mktemp -d)"
  KUBECTL="${kubectl}" scripts/release-manifests.sh \
    "ghcr.io/steadycron/cronjob-controller:v0.0.0-verify@sha256:$(printf '%064d' 0)" "${tmp}" || rc=1
  rm -rf "${tmp}"
  return "${rc}"
}

scripts_parse() {
  local s scripts=(scripts/*.sh .ci/run)
  for s in "${scripts[@]}"; do bash -n "${s}" || return 1; done
  if ! command -v shellcheck >/dev/null; then
    log "    no shellcheck (apt-get install shellcheck): syntax only"
    return 0
  fi
  # lib.sh is checked through the scripts that source it.
  local checked=()
  for s in "${scripts[@]}"; do [[ "${s}" == scripts/lib.sh ]] || checked+=("${s}"); done
  shellcheck -x "${checked[@]}"
}

check "kubeadm sidecar patch (go test ./deploy/...)" "${GO}" test -count=1 ./deploy/...
check "rules and their promtool unit tests, dashboard, kind config, manifests (deploy/validate)" validate_module
check "metric and annotation contract (docs/metrics-contract.yaml; deploy/validate)" \
  "${GO}" -C deploy/validate test -count=1 -run 'Contract|ContractedNames' .
check "kustomizations render" kustomize_all
check "install with your own image (examples/own-image)" own_image
check "release manifests (scripts/release-manifests.sh)" release_manifests
check "scripts (shellcheck)" scripts_parse

if ((${#failed[@]})); then
  die "verify-deploy failed: ${failed[*]}"
fi
log "verify-deploy: all checks passed"
