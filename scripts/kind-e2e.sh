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
# DRY_RUN=1 needs neither a container engine nor kind: it checks everything
# that can be checked without a cluster and prints each command it would run
# (`make image-test` runs it for both modes): IMAGE parses (go-containerregistry's
# reference parser, as Docker and containerd read names), the docker-archive
# it would load is a loadable one named IMAGE, the kubeadm patch it writes
# differs from deploy/kubeadm's only in the image, kind-config mounts that
# patch directory, and the Deployment overlay renders with IMAGE.
#
# Environment:
#   STEADYCRON_MODE    sidecar | deployment (default sidecar)
#   IMAGE              the image to build and test (default ghcr.io/steadycron/cronjob-controller:kind-e2e;
#                      with SKIP_BUILD, the image _output/image holds)
#   SKIP_BUILD         1: use the image `IMAGE=... make image` left in _output/image
#   DRY_RUN            1: check and print, create nothing (see above)
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
DRY="${DRY_RUN:-}"
if [[ -z "${IMAGE:-}" && -n "${SKIP_BUILD:-}" && -f "${ROOT}/_output/image/reference" ]]; then
  IMAGE="$(cat "${ROOT}/_output/image/reference")"
fi
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
# run CMD...: runs CMD, or with DRY_RUN prints it.
run() {
  if [[ -n "${DRY}" ]]; then
    printf 'kind-e2e: would run:' >&2
    printf ' %q' "$@" >&2
    printf '\n' >&2
  else
    "$@"
  fi
}

case "${MODE}" in sidecar | deployment) ;; *) die "STEADYCRON_MODE=${MODE}: want sidecar or deployment" ;; esac

# image/'s program checks references and archives with go-containerregistry
# (scripts/image.sh builds the same binary; go's cache makes this quick).
ASSEMBLER="${ROOT}/_output/bin/image-assemble"
(cd image && CGO_ENABLED=0 GOOS="" GOARCH="" "${GO}" build -trimpath -o "${ASSEMBLER}" .) || die "cannot build image/"
# IMAGE's repository (as written) and tag, or a clear error: Docker Hub
# names (docker.io/..., index.docker.io/..., implicit library/) are fine.
ref="$("${ASSEMBLER}" check-ref "${IMAGE}")" || die "IMAGE=${IMAGE}: want registry/repository:tag"
IFS=$'\t' read -r IMAGE_REPO IMAGE_TAG <<<"${ref}"

if [[ -z "${KIND:-}" ]]; then
  # The kind release whose v1alpha4 types deploy/validate checks kind-config with.
  kind_version="$(cd deploy/validate && "${GO}" list -m -f '{{.Version}}' sigs.k8s.io/kind)" ||
    die "cannot read sigs.k8s.io/kind's version from deploy/validate/go.mod"
  if [[ -n "${DRY}" ]]; then
    KIND=kind
    log "would install sigs.k8s.io/kind@${kind_version} into _output/bin"
  else
    # shellcheck disable=SC2016 # expanded by the inner bash
    KIND="$(bash -c 'source "$1" && go_tool kind "$2"' _ "${ROOT}/scripts/lib.sh" "sigs.k8s.io/kind@${kind_version}")"
  fi
fi
[[ -n "${DRY}" ]] || command -v "${PROVIDER}" >/dev/null || die "${PROVIDER} is not installed"
KUBECTL="${KUBECTL:-$(command -v kubectl || true)}"
[[ -n "${KUBECTL}" ]] || KUBECTL="${ROOT}/_output/bin/kubectl"
[[ -x "${KUBECTL}" ]] || die "no kubectl on PATH or in _output/bin (make cluster-binaries)"
k() { run "${KUBECTL}" --kubeconfig "${KCFG}" "$@"; }

if [[ -z "${DRY}" ]] && "${KIND}" get clusters 2>/dev/null | grep -qx "${CLUSTER}"; then
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
# The layout and the archive are named IMAGE (compared as references, not
# strings), and the archive is one `kind load image-archive` reads.
"${ASSEMBLER}" check-built -oci-layout "${ROOT}/_output/image/oci" -archive "${archive}" "${IMAGE}" >&2 ||
  die "_output/image does not hold a loadable ${IMAGE}: run IMAGE=${IMAGE} make image"

# 2. The kubeadm patch directory kind-config mounts into the control-plane
#    node: deploy/kubeadm/patches with the image under test, or empty for
#    the Deployment (kcm still runs without its CronJob controller).
rm -rf "${WORK}/kubeadm-patches"
mkdir -p "${WORK}/kubeadm-patches"
if [[ "${MODE}" == sidecar ]]; then
  sed -E "s#^([[:space:]]*image:[[:space:]]*).*cronjob-controller.*#\1${IMAGE}#" \
    "deploy/kubeadm/patches/${PATCH_NAME}" >"${WORK}/kubeadm-patches/${PATCH_NAME}"
  # awk compares the strings, where a pattern would read IMAGE's brackets ([::1]:5000/...) or dots.
  awk -v image="${IMAGE}" '$1 == "image:" && $2 == image { found = 1 } END { exit !found }' "${WORK}/kubeadm-patches/${PATCH_NAME}" || die "could not set the image in the kubeadm patch"
  # Only the image line differs from deploy/kubeadm's patch, which `make
  # verify` renders with kubeadm's own code.
  changed="$(diff "deploy/kubeadm/patches/${PATCH_NAME}" "${WORK}/kubeadm-patches/${PATCH_NAME}" | grep -c '^[<>]' || true)"
  [[ "${changed}" == 2 ]] || die "the kubeadm patch differs from deploy/kubeadm's in more than its image line"
fi
# kind-config mounts that directory into the control-plane node.
grep -q 'hostPath: _output/kind/kubeadm-patches$' kind-config/cluster.yaml ||
  die "kind-config/cluster.yaml does not mount _output/kind/kubeadm-patches"

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
[[ -n "${DRY}" ]] || trap cleanup EXIT

# 3. The cluster. kubeadm init runs with the patch: kcm starts at once; the
#    steadycron container waits for its image, loaded next.
log "creating kind cluster ${CLUSTER} (${MODE})"
run "${KIND}" create cluster --name "${CLUSTER}" --config kind-config/cluster.yaml \
  --image "${NODE_IMAGE}" --kubeconfig "${KCFG}" --wait 3m

# 4. The image into every node, from its docker-archive (named IMAGE).
run "${KIND}" load image-archive "${archive}" --name "${CLUSTER}"

# 5. steadycron.
if [[ "${MODE}" == sidecar ]]; then
  # Bind steadycron's roles to the identity of kcm's kubeconfig.
  k apply -k deploy/kubeadm/
  # The kubelet has been backing off pulling the image that was not loaded
  # yet; a restart forgets the back-off and starts the container now. Running
  # containers (kcm, the API server) are not touched.
  if [[ -n "${DRY}" ]]; then
    run "${PROVIDER}" exec "${CLUSTER}-control-plane" systemctl restart kubelet
  else
    for node in $("${KIND}" get nodes --name "${CLUSTER}"); do
      if [[ "${node}" == *control-plane* ]]; then
        "${PROVIDER}" exec "${node}" systemctl restart kubelet
      fi
    done
  fi
  k -n kube-system wait --for=condition=Ready pod -l component=kube-controller-manager --timeout=5m
  if [[ -z "${DRY}" ]]; then
    containers="$(k -n kube-system get pod -l component=kube-controller-manager -o jsonpath='{.items[*].spec.containers[*].name}')"
    [[ " ${containers} " == *" steadycron "* ]] || die "kcm's pod has no steadycron container: ${containers}"
  fi
else
  mkdir -p "${WORK}/overlay"
  cat >"${WORK}/overlay/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../deploy
images:
  - name: ghcr.io/steadycron/cronjob-controller
    newName: ${IMAGE_REPO}
    newTag: ${IMAGE_TAG}
YAML
  # The overlay renders, and runs IMAGE.
  rendered="$("${KUBECTL}" kustomize "${WORK}/overlay")" || die "kubectl kustomize ${WORK}/overlay failed"
  images="$(grep -E '^[[:space:]]*-?[[:space:]]*image:' <<<"${rendered}" | sed -E 's/.*image:[[:space:]]*//' | sort -u)"
  [[ "${images}" == "${IMAGE}" ]] || die "the Deployment overlay runs ${images}, not ${IMAGE}"
  k apply -k "${WORK}/overlay"
  k -n kube-system rollout status deploy/steadycron --timeout=5m
fi

if [[ -n "${DRY}" ]]; then
  log "would check that kcm runs without its CronJob controller and that a steadycron replica holds the Lease kube-system/steadycron"
  run env E2E_KUBECONFIG="${KCFG}" "${ROOT}/scripts/e2e.sh" "$@"
  log "dry run (${MODE}, ${IMAGE}): every check passed"
  exit 0
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
