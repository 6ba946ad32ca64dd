#!/usr/bin/env bash
# Build cronjob-controller from the generated package (make patch first), and
# the kubectl plugin kubectl-cronjob beside it.
#
# The binary is static (CGO_ENABLED=0; cmd/cronjob-controller embeds the time
# zone database with time/tzdata) and reproducible: -trimpath, no VCS stamp, an
# empty build ID, the Go release of go.mod's toolchain line and none of the
# caller's GO* settings that change code generation (lib.sh's
# reproducible_go_env), and a version that is the full commit SHA or VERSION
# (lib.sh's source_version). The same commit gives the same bytes in any
# directory and environment; scripts/image.sh relies on that for the image's
# digest, and `make image-repro` checks it.
#
# Environment:
#   GOOS, GOARCH  target platform (default: this machine's); scripts/image.sh
#                 builds linux/amd64 and linux/arm64
#   VERSION       steadycron's version (default: the full commit SHA of HEAD)
#   BUILD_OUT     output file (default _output/bin/cronjob-controller); when it is
#                 set, only the controller is built (scripts/image.sh)
#   PLUGIN_ONLY   1: build only the kubectl plugin, _output/bin/kubectl-cronjob
#                 (make plugin)
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

reproducible_go_env
kube="$(kube_version)"
major="$(cut -d. -f1 <<<"${kube#v}")"
minor="$(cut -d. -f2 <<<"${kube#v}")"
ours="$(source_version)"
commit="$(git -C "${REPO_ROOT}" rev-parse --verify -q HEAD 2>/dev/null || echo unknown)"
tree_state="$(source_tree_state)"
out="${BUILD_OUT:-${OUTPUT_DIR}/bin/cronjob-controller}"

# The client libraries report the upstream release they are (so the user agent
# reads cronjob-controller/v1.37.2 as kcm's does); steadycron's own version is
# in pkg/version.
ldflags=(-buildid= -X "${OUR_MODULE}/pkg/version.Version=${ours}")
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=(-X "${pkg}.gitVersion=${kube}" -X "${pkg}.gitMajor=${major}" -X "${pkg}.gitMinor=${minor}"
            -X "${pkg}.gitCommit=${commit}" -X "${pkg}.gitTreeState=${tree_state}")
done

mkdir -p "$(dirname "${out}")"
cd "${REPO_ROOT}" || exit 1
if [[ "${PLUGIN_ONLY:-}" != 1 ]]; then
  "${GO}" build -trimpath -buildvcs=false -ldflags "${ldflags[*]}" \
    -o "${out}" ./cmd/cronjob-controller
  log "built ${out#"${REPO_ROOT}/"} (${ours}, upstream ${kube}, $("${GO}" env GOVERSION) $("${GO}" env GOOS)/$("${GO}" env GOARCH))"
fi

if [[ -z "${BUILD_OUT:-}" ]]; then
  plugin="${OUTPUT_DIR}/bin/kubectl-cronjob"
  "${GO}" build -trimpath -buildvcs=false -ldflags "${ldflags[*]}" \
    -o "${plugin}" ./cmd/kubectl-cronjob
  log "built ${plugin#"${REPO_ROOT}/"} (put it on your PATH: kubectl cronjob --help)"
fi
