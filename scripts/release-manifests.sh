#!/usr/bin/env bash
# Renders the install manifests with steadycron's image pinned to one build,
# by digest: what a release attaches (.github/workflows/release.yaml) and what
# `make verify` renders with a stand-in digest.
#
#   scripts/release-manifests.sh REPOSITORY[:TAG]@sha256:DIGEST OUTDIR
#
# Writes to OUTDIR:
#   steadycron.yaml                          deploy/: RBAC, the Deployment, Service, PodDisruptionBudget
#   kubeadm-rbac.yaml                        deploy/kubeadm/: RBAC for the sidecar (kcm's identity)
#   kube-controller-manager+strategic.yaml   the kubeadm patch that adds the sidecar
#   monitoring.yaml                          deploy/monitoring/ (Prometheus Operator kinds)
#   SHA256SUMS
# The image is set the way `kustomize edit set image` sets it, in an overlay
# (images: newName, newTag, digest) rendered with kubectl's kustomize
# (KUBECTL, else _output/bin/kubectl, else kubectl on PATH). Fails when any
# container of the output runs another image.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1

(($# == 2)) || die "usage: $0 REPOSITORY[:TAG]@sha256:DIGEST OUTDIR"
ref="$1"
outdir="$2"
[[ "${ref}" =~ ^([^@]+)@(sha256:[0-9a-f]{64})$ ]] || die "release-manifests: ${ref}: want REPOSITORY[:TAG]@sha256:<64 hex digits>"
named="${BASH_REMATCH[1]}"
digest="${BASH_REMATCH[2]}"
repo="${named}"
tag=""
# A tag is what follows the last colon when no slash follows it (a colon
# before a slash is a registry's port).
if [[ "${named##*/}" == *:* ]]; then
  repo="${named%:*}"
  tag="${named##*:}"
fi

KUBECTL="${KUBECTL:-${OUTPUT_DIR}/bin/kubectl}"
[[ -x "${KUBECTL}" ]] || KUBECTL="$(command -v kubectl || true)"
[[ -n "${KUBECTL}" ]] || die "release-manifests: no kubectl (make cluster-binaries, or KUBECTL=...)"

readonly DEFAULT_IMAGE="ghcr.io/steadycron/cronjob-controller"
readonly PATCH_FILE="deploy/kubeadm/patches/kube-controller-manager+strategic.yaml"

mkdir -p "${outdir}"
outdir="$(cd "${outdir}" && pwd)"
mkdir -p "${OUTPUT_DIR}"
overlays="$(mktemp -d "${OUTPUT_DIR}/release-overlays.XXXXXX")"
trap 'rm -rf "${overlays}"' EXIT

# render BASE OUTFILE: BASE (a directory under deploy/) with the image set.
render() {
  local base="$1" file="$2" dir
  dir="${overlays}/$(basename "$1")"
  mkdir -p "${dir}"
  {
    printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - %s\n' \
      "$(realpath --relative-to="${dir}" "${REPO_ROOT}/${base}")"
    printf 'images:\n  - name: %s\n    newName: %s\n' "${DEFAULT_IMAGE}" "${repo}"
    [[ -z "${tag}" ]] || printf '    newTag: %s\n' "${tag}"
    printf '    digest: %s\n' "${digest}"
  } >"${dir}/kustomization.yaml"
  "${KUBECTL}" kustomize "${dir}" >"${outdir}/${file}" || die "release-manifests: kubectl kustomize ${base} failed"
}

render deploy steadycron.yaml
render deploy/kubeadm kubeadm-rbac.yaml
render deploy/monitoring monitoring.yaml

[[ "$(grep -c "^[[:space:]]*image: ${DEFAULT_IMAGE}:" "${PATCH_FILE}")" == 1 ]] ||
  die "release-manifests: ${PATCH_FILE} has not exactly one image: ${DEFAULT_IMAGE}:... line"
sed -E "s#^([[:space:]]*image:[[:space:]]*)${DEFAULT_IMAGE}:.*#\\1${ref}#" "${PATCH_FILE}" \
  >"${outdir}/kube-controller-manager+strategic.yaml"

# Every image in the output is the pinned one, and there is one at least
# where there must be.
bad="$(grep -HnE '^[[:space:]]*-?[[:space:]]*image:' "${outdir}"/*.yaml | grep -vF "image: ${ref}")" || true
[[ -z "${bad}" ]] || die "release-manifests: images other than ${ref}:
${bad}"
for f in steadycron.yaml kube-controller-manager+strategic.yaml; do
  grep -qF "image: ${ref}" "${outdir}/${f}" || die "release-manifests: ${f} runs no ${ref}"
done
(cd "${outdir}" && sha256sum steadycron.yaml kubeadm-rbac.yaml kube-controller-manager+strategic.yaml monitoring.yaml >SHA256SUMS)
log "release-manifests: ${outdir#"${REPO_ROOT}/"} pinned to ${ref}"
