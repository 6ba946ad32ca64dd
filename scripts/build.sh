#!/usr/bin/env bash
# Build _output/bin/cronjob-controller from the generated package (make patch first).
source "$(dirname "$0")/lib.sh"

kube="$(kube_version)"
major="$(cut -d. -f1 <<<"${kube#v}")"
minor="$(cut -d. -f2 <<<"${kube#v}")"
ours="$(git -C "${REPO_ROOT}" describe --tags --always --dirty 2>/dev/null || echo dev)"
commit="$(git -C "${REPO_ROOT}" rev-parse --verify -q HEAD 2>/dev/null || echo unknown)"

# The client libraries report the upstream release they are (so the user agent
# reads cronjob-controller/v1.37.2 as kcm's does); steadycron's own version is
# in pkg/version.
ldflags=(-X "${OUR_MODULE}/pkg/version.Version=${ours}")
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=(-X "${pkg}.gitVersion=${kube}" -X "${pkg}.gitMajor=${major}" -X "${pkg}.gitMinor=${minor}"
            -X "${pkg}.gitCommit=${commit}" -X "${pkg}.gitTreeState=clean")
done

mkdir -p "${OUTPUT_DIR}/bin"
cd "${REPO_ROOT}"
CGO_ENABLED="${CGO_ENABLED:-0}" "${GO}" build -ldflags "${ldflags[*]}" -o "${OUTPUT_DIR}/bin/cronjob-controller" ./cmd/cronjob-controller
log "built ${OUTPUT_DIR#"${REPO_ROOT}/"}/bin/cronjob-controller (${ours}, upstream ${kube})"
