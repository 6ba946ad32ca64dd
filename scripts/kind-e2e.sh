#!/usr/bin/env bash
# Runs the e2e suites on a kind cluster whose kube-controller-manager runs
# without its CronJob controller, with steadycron installed the production
# way: as a sidecar in kcm's static pod through kubeadm's --patches
# (STEADYCRON_MODE=sidecar, the default) or as the Deployment of deploy/
# (STEADYCRON_MODE=deployment). The image is the one `make image` builds
# (scripts/image.sh, for this machine's platform), loaded into the nodes from
# its docker-archive with `kind load image-archive`. Test pods are real
# busybox containers on the worker node (e2e/README.md says which tests run
# only there). Extra arguments go to `go test` through scripts/e2e.sh, e.g.
#   scripts/kind-e2e.sh -run 'TestCronJob|TestDeploy'
#
# Needs docker or podman (KIND_EXPERIMENTAL_PROVIDER=podman), kubectl (on
# PATH, or _output/bin/kubectl from `make cluster-binaries`) and Go. kind is
# installed into _output/bin at the version deploy/validate/go.mod pins
# (v0.33.0: Kubernetes 1.37 nodes, kubeadm v1beta4), unless KIND names one.
#
# Environment:
#   STEADYCRON_MODE    sidecar | deployment (default sidecar)
#   IMAGE              the image to build and test (default ghcr.io/steadycron/cronjob-controller:kind-e2e)
#   SKIP_BUILD         1: use the image `IMAGE=... make image` left in _output/image
#   KIND               a kind binary to use instead of the pinned one
#   KIND_CLUSTER_NAME  default steadycron-e2e; must not exist yet
#   KIND_NODE_IMAGE    default: kind v0.33.0's Kubernetes 1.37 node image
#   KEEP_CLUSTER       1: leave the cluster running afterwards (kubeconfig in _output/kind/kubeconfig)
#   plus scripts/e2e.sh's E2E_* variables
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# kind resolves kind-config's relative extraMounts hostPath against the
# working directory: stay at the repository root.
cd "${ROOT}"

MODE="${STEADYCRON_MODE:-sidecar}"
IMAGE="${IMAGE:-ghcr.io/steadycron/cronjob-controller:kind-e2e}"
CLUSTER="${KIND_CLUSTER_NAME:-steadycron-e2e}"
NODE_IMAGE="${KIND_NODE_IMAGE:-kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5}"
PROVIDER="${KIND_EXPERIMENTAL_PROVIDER:-docker}"
GO="${GO:-go}"
WORK="${ROOT}/_output/kind"
KCFG="${WORK}/kubeconfig"
PATCH_NAME="kube-controller-manager+strategic.yaml"

log() { printf 'kind-e2e: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

case "${MODE}" in sidecar | deployment) ;; *) die "STEADYCRON_MODE=${MODE}: want sidecar or deployment" ;; esac
[[ "${IMAGE}" == *:* && "${IMAGE##*/}" == *:* ]] || die "IMAGE=${IMAGE} needs a tag"
if [[ -z "${KIND:-}" ]]; then
  # The kind release whose v1alpha4 types deploy/validate checks kind-config with.
  kind_version="$(cd deploy/validate && "${GO}" list -m -f '{{.Version}}' sigs.k8s.io/kind)" ||
    die "cannot read sigs.k8s.io/kind's version from deploy/validate/go.mod"
  # shellcheck disable=SC2016 # expanded by the inner bash
  KIND="$(bash -c 'source "$1" && go_tool kind "$2"' _ "${ROOT}/scripts/lib.sh" "sigs.k8s.io/kind@${kind_version}")"
fi
command -v "${PROVIDER}" >/dev/null || die "${PROVIDER} is not installed"
KUBECTL="${KUBECTL:-$(command -v kubectl || true)}"
[[ -n "${KUBECTL}" ]] || KUBECTL="${ROOT}/_output/bin/kubectl"
[[ -x "${KUBECTL}" ]] || die "no kubectl on PATH or in _output/bin (make cluster-binaries)"
k() { "${KUBECTL}" --kubeconfig "${KCFG}" "$@"; }

if "${KIND}" get clusters 2>/dev/null | grep -qx "${CLUSTER}"; then
  die "kind cluster ${CLUSTER} exists: delete it (kind delete cluster --name ${CLUSTER}) or set KIND_CLUSTER_NAME"
fi

# 1. The image, for the nodes' platform (this machine's), as `make image`
#    builds it.
arch="$("${GO}" env GOARCH)"
archive="${ROOT}/_output/image/cronjob-controller-linux-${arch}.tar"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  IMAGE="${IMAGE}" PLATFORMS="linux/${arch}" "${ROOT}/scripts/image.sh"
fi
[[ -f "${archive}" ]] || die "no ${archive#"${ROOT}/"}: run IMAGE=${IMAGE} make image"
grep -qF "\"${IMAGE}\"" "${ROOT}/_output/image/oci/index.json" ||
  die "_output/image holds another image than ${IMAGE}: run IMAGE=${IMAGE} make image"

# 2. The kubeadm patch directory kind-config mounts into the control-plane
#    node: deploy/kubeadm/patches with the image under test, or empty for
#    the Deployment (kcm still runs without its CronJob controller).
rm -rf "${WORK}/kubeadm-patches"
mkdir -p "${WORK}/kubeadm-patches"
if [[ "${MODE}" == sidecar ]]; then
  sed -E "s#^([[:space:]]*image:[[:space:]]*).*cronjob-controller.*#\1${IMAGE}#" \
    "deploy/kubeadm/patches/${PATCH_NAME}" >"${WORK}/kubeadm-patches/${PATCH_NAME}"
  grep -q "image: ${IMAGE}\$" "${WORK}/kubeadm-patches/${PATCH_NAME}" || die "could not set the image in the kubeadm patch"
fi

cleanup() {
  local status=$?
  if ((status != 0)); then
    log "failed (status ${status}); cluster logs in ${WORK}/logs"
    "${KIND}" export logs "${WORK}/logs" --name "${CLUSTER}" >/dev/null 2>&1 || true
  fi
  if [[ -n "${KEEP_CLUSTER:-}" ]]; then
    log "keeping cluster ${CLUSTER}: KUBECONFIG=${KCFG}; delete it with: kind delete cluster --name ${CLUSTER}"
  else
    "${KIND}" delete cluster --name "${CLUSTER}" >/dev/null 2>&1 || true
  fi
  exit "${status}"
}
trap cleanup EXIT

# 3. The cluster. kubeadm init runs with the patch: kcm starts at once; the
#    steadycron container waits for its image, loaded next.
log "creating kind cluster ${CLUSTER} (${MODE})"
"${KIND}" create cluster --name "${CLUSTER}" --config kind-config/cluster.yaml \
  --image "${NODE_IMAGE}" --kubeconfig "${KCFG}" --wait 3m

# 4. The image into every node, from its docker-archive (named IMAGE).
"${KIND}" load image-archive "${archive}" --name "${CLUSTER}"

# 5. steadycron.
if [[ "${MODE}" == sidecar ]]; then
  # Bind steadycron's roles to the identity of kcm's kubeconfig.
  k apply -k deploy/kubeadm/
  # The kubelet has been backing off pulling the image that was not loaded
  # yet; a restart forgets the back-off and starts the container now. Running
  # containers (kcm, the API server) are not touched.
  for node in $("${KIND}" get nodes --name "${CLUSTER}"); do
    if [[ "${node}" == *control-plane* ]]; then
      "${PROVIDER}" exec "${node}" systemctl restart kubelet
    fi
  done
  k -n kube-system wait --for=condition=Ready pod -l component=kube-controller-manager --timeout=5m
  containers="$(k -n kube-system get pod -l component=kube-controller-manager -o jsonpath='{.items[*].spec.containers[*].name}')"
  [[ " ${containers} " == *" steadycron "* ]] || die "kcm's pod has no steadycron container: ${containers}"
else
  mkdir -p "${WORK}/overlay"
  cat >"${WORK}/overlay/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../deploy
images:
  - name: ghcr.io/steadycron/cronjob-controller
    newName: ${IMAGE%:*}
    newTag: ${IMAGE##*:}
YAML
  k apply -k "${WORK}/overlay"
  k -n kube-system rollout status deploy/steadycron --timeout=5m
fi

# 6. kcm without its CronJob controller, and a steadycron leader.
kcm="$(k -n kube-system get pod -l component=kube-controller-manager -o jsonpath='{.items[0].spec.containers[0].command}')"
[[ "${kcm}" == *"-cronjob-controller"* ]] || die "kube-controller-manager still runs its CronJob controller: ${kcm}"
for _ in $(seq 60); do
  holder="$(k -n kube-system get lease steadycron -o jsonpath='{.spec.holderIdentity}' 2>/dev/null || true)"
  [[ -z "${holder}" ]] || break
  sleep 5
done
[[ -n "${holder}" ]] || die "no steadycron replica took the Lease kube-system/steadycron in 5 minutes"
log "steadycron leads as ${holder}"

# 7. The suites, against this cluster.
E2E_KUBECONFIG="${KCFG}" "${ROOT}/scripts/e2e.sh" "$@"
