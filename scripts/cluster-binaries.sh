#!/usr/bin/env bash
# Builds the programs of the e2e test cluster into _output/bin:
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok
# from the separate tools module (tools/go.mod). They are not part of the
# product; they only run a control plane on loopback for e2e and `make run`.
#
# The Kubernetes version is pinned in one place: the root go.mod's
# `require k8s.io/kubernetes`. tools/go.mod must agree, or this script stops.
# A stamp file records what was built; when it matches and every binary is
# there, the script does nothing.
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${OUTPUT_DIR:-${ROOT}/_output}/bin"
GO="${GO:-go}"
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)

log() { echo "cluster-binaries: $*" >&2; }
die() { log "error: $*"; exit 1; }

module_version() { # module_version DIR MODULE
  (cd "$1" && "${GO}" list -m -f '{{.Version}}' "$2") ||
    die "cannot read the version of $2 in $1/go.mod"
}

kube_version="$(module_version "${ROOT}" k8s.io/kubernetes)"
tools_kube_version="$(module_version "${ROOT}/tools" k8s.io/kubernetes)"
if [[ "${kube_version}" != "${tools_kube_version}" ]]; then
  die "go.mod pins k8s.io/kubernetes ${kube_version} but tools/go.mod pins ${tools_kube_version}; \
update tools/go.mod (require k8s.io/kubernetes ${kube_version} and each staging replace to v0.${kube_version#v1.}), then run 'cd tools && go mod tidy'"
fi
etcd_version="$(module_version "${ROOT}/tools" go.etcd.io/etcd/server/v3)"
kwok_version="$(module_version "${ROOT}/tools" sigs.k8s.io/kwok)"
go_version="$("${GO}" env GOVERSION)"

if [[ ! "${kube_version}" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]]; then
  die "k8s.io/kubernetes ${kube_version} is not a release version vMAJOR.MINOR.PATCH"
fi
major="${BASH_REMATCH[1]}"
minor="${BASH_REMATCH[2]}"

stamp_file="${OUT}/.cluster-binaries.stamp"
stamp="kubernetes=${kube_version}
etcd=${etcd_version}
kwok=${kwok_version}
go=${go_version}
tools/go.sum=$(sha256sum "${ROOT}/tools/go.sum" | cut -d' ' -f1)
script=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)"

up_to_date() {
  [[ -f "${stamp_file}" && "$(cat "${stamp_file}")" == "${stamp}" ]] || return 1
  local b
  for b in "${BINARIES[@]}"; do [[ -x "${OUT}/${b}" ]] || return 1; done
}

if up_to_date; then
  log "up to date in ${OUT} (kubernetes ${kube_version}, etcd ${etcd_version}, kwok ${kwok_version})"
  exit 0
fi

# The module proxy does not give a commit for a tag, and the release date in
# the module's .info is the only fixed date to hand: both only label the build.
build_date="$(cd "${ROOT}" && "${GO}" mod download -json "k8s.io/kubernetes@${kube_version}" |
  sed -n 's/.*"Info": "\(.*\)",*/\1/p' | xargs cat | sed -n 's/.*"Time":"\([^"]*\)".*/\1/p')"
build_date="${build_date:-1970-01-01T00:00:00Z}"
git_commit="0000000000000000000000000000000000000000"

ldflags=()
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=(
    "-X ${pkg}.gitVersion=${kube_version}"
    "-X ${pkg}.gitMajor=${major}"
    "-X ${pkg}.gitMinor=${minor}"
    "-X ${pkg}.gitCommit=${git_commit}"
    "-X ${pkg}.gitTreeState=clean"
    "-X ${pkg}.buildDate=${build_date}"
  )
done
ldflags+=("-X sigs.k8s.io/kwok/pkg/consts.Version=${kwok_version#v}")
ldflags+=("-X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${kube_version#v}")

mkdir -p "${OUT}"
rm -f "${stamp_file}"
log "building kubernetes ${kube_version}, etcd ${etcd_version}, kwok ${kwok_version} into ${OUT}"
log "(a cold build takes several minutes and ~3 GB of memory; later builds reuse the Go build cache)"
start=${SECONDS}
# One invocation, so every package shared by the six programs is compiled once.
(
  cd "${ROOT}/tools"
  "${GO}" build -ldflags "${ldflags[*]}" -o "${OUT}/" \
    go.etcd.io/etcd/server/v3 \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubectl \
    sigs.k8s.io/kwok/cmd/kwok
)
# etcd's main package is its module root, so `go build` names it after "server".
mv -f "${OUT}/server" "${OUT}/etcd"

for b in "${BINARIES[@]}"; do [[ -x "${OUT}/${b}" ]] || die "${OUT}/${b} was not built"; done
echo "${stamp}" >"${stamp_file}"
log "built in $((SECONDS - start))s: ${BINARIES[*]}"
"${OUT}/kube-apiserver" --version >&2
